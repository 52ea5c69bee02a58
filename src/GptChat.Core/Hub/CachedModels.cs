namespace GptChat.Hub;

/// <summary>A model repo in the Hub cache.</summary>
/// <param name="Refs">Branch or tag → commit, from refs/.</param>
/// <param name="Snapshots">Commits with a snapshot folder.</param>
internal sealed record CachedModel(string Id, string Folder, long SizeBytes, IReadOnlyDictionary<string, string> Refs, IReadOnlyList<string> Snapshots);

/// <summary>What <c>gptchat models</c> lists and removes: the model repos of a Hub cache (ours and Python's alike).</summary>
internal static class CachedModels
{
    public static IReadOnlyList<CachedModel> List(string cacheRoot) =>
        RepoFolders(cacheRoot).Select(r => Read(r.Folder, r.Repo)).OrderBy(m => m.Id, StringComparer.OrdinalIgnoreCase).ToList();

    /// <summary>The cache's model repo folders, in the order the file system gives them.</summary>
    private static IEnumerable<(string Folder, RepoId Repo)> RepoFolders(string cacheRoot)
    {
        if (!Directory.Exists(cacheRoot))
            yield break;
        foreach (var folder in Directory.EnumerateDirectories(cacheRoot))
            if (RepoId.FromCacheFolderName(Path.GetFileName(folder)) is { } repo)
                yield return (folder, repo);
    }

    private static CachedModel Read(string folder, RepoId repo)
    {
        var blobs = Path.Combine(folder, "blobs");
        // Blobs hold the bytes (snapshots only link to them), so their sizes are the disk use, partial downloads included.
        var size = Directory.Exists(blobs) ? new DirectoryInfo(blobs).EnumerateFiles().Sum(f => f.Length) : 0;
        var refsFolder = Path.Combine(folder, "refs");
        var refs = Directory.Exists(refsFolder)
            ? Directory.EnumerateFiles(refsFolder, "*", SearchOption.AllDirectories)
                .ToDictionary(f => Path.GetRelativePath(refsFolder, f).Replace(Path.DirectorySeparatorChar, '/'), f => File.ReadAllText(f).Trim())
            : [];
        var snapshotsFolder = Path.Combine(folder, "snapshots");
        var snapshots = Directory.Exists(snapshotsFolder)
            ? Directory.EnumerateDirectories(snapshotsFolder).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToList()
            : [];
        return new CachedModel(repo.Value, folder, size, refs, snapshots);
    }

    /// <summary>
    /// Deletes a model repo (all its revisions) and its lock files; returns what was removed. Fails, leaving the cache as it
    /// was, when a download of the repo (ours or Python's) holds a lock on it for longer than <paramref name="lockWait"/>.
    /// </summary>
    public static async Task<CachedModel> RemoveAsync(string cacheRoot, string model, TimeSpan lockWait, CancellationToken cancellationToken = default)
    {
        if (!RepoId.TryParse(model, out var repo))
            throw new GptChatException($"'{model}' is not a valid Hub model id (such as gpt2 or Xenova/gpt2)", exitCode: 2);
        // Only the matching repo is read (and sized), not every model in the cache.
        var cached = RepoFolders(cacheRoot).Where(r => r.Repo.Value == repo.Value).Select(r => Read(r.Folder, r.Repo)).FirstOrDefault()
                     ?? throw new GptChatException($"{repo} is not in the cache at {cacheRoot} (see gptchat models)");
        var cache = new HubCache(cacheRoot);
        try
        {
            using (var locks = await RepoRemovalLocks.TryTakeAsync(cache, repo, lockWait, cancellationToken).ConfigureAwait(false)
                               ?? throw new GptChatException($"cannot remove {repo}: a download of it is running (try again when it ends)"))
            {
                DeleteRepoFolder(cached.Folder, locks.BlobNames);
                locks.DeleteLockFiles();
            }
            DeleteIfEmpty(cache.LockFolder(repo));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new GptChatException($"cannot remove {repo} from {cacheRoot}: {e.Message}");
        }
        return cached;
    }

    /// <summary>
    /// refs/ and snapshots/ go first: without them the app finds the model not cached (and downloads it again), so a
    /// crash part-way leaves unused blobs, never a snapshot whose files are gone. Then the locked blobs, then the folders
    /// if empty: a blob that is not ours to delete belongs to a Python download that started after we took the locks.
    /// </summary>
    private static void DeleteRepoFolder(string folder, IReadOnlyList<string> lockedBlobs)
    {
        DeleteIfExists(Path.Combine(folder, "refs"));
        DeleteIfExists(Path.Combine(folder, "snapshots"));
        var blobs = Path.Combine(folder, "blobs");
        if (Directory.Exists(folder))
            foreach (var entry in Directory.EnumerateFileSystemEntries(folder).Where(e => e != blobs).ToList())
                DeleteIfExists(entry); // e.g. huggingface_hub's .no_exist/
        if (Directory.Exists(blobs))
            foreach (var name in lockedBlobs)
            {
                File.Delete(Path.Combine(blobs, name));
                File.Delete(HubCache.IncompletePath(Path.Combine(blobs, name)));
            }
        DeleteIfEmpty(blobs);
        DeleteIfEmpty(folder);
    }

    private static void DeleteIfExists(string path)
    {
        var info = new FileInfo(path);
        if (info.LinkTarget is null && Directory.Exists(path))
            Directory.Delete(path, recursive: true);
        else if (info.Exists || info.LinkTarget is not null)
            File.Delete(path);
    }

    private static void DeleteIfEmpty(string folder)
    {
        try
        {
            Directory.Delete(folder); // not recursive: it fails, in one step, when something is in it
        }
        catch (IOException) when (!Directory.Exists(folder) || Directory.EnumerateFileSystemEntries(folder).Any())
        {
            // Gone already, or holds something that is not ours to delete.
        }
    }
}

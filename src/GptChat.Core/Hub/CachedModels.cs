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

    /// <summary>Deletes a model repo (all its revisions) and its lock files; returns what was removed.</summary>
    public static CachedModel Remove(string cacheRoot, string model)
    {
        if (!RepoId.TryParse(model, out var repo))
            throw new GptChatException($"'{model}' is not a valid Hub model id (such as gpt2 or Xenova/gpt2)", exitCode: 2);
        // Only the matching repo is read (and sized), not every model in the cache.
        var cached = RepoFolders(cacheRoot).Where(r => r.Repo.Value == repo.Value).Select(r => Read(r.Folder, r.Repo)).FirstOrDefault()
                     ?? throw new GptChatException($"{repo} is not in the cache at {cacheRoot} (see gptchat models)");
        Directory.Delete(cached.Folder, recursive: true);
        var locks = Path.Combine(cacheRoot, ".locks", repo.CacheFolderName);
        if (Directory.Exists(locks))
            Directory.Delete(locks, recursive: true);
        return cached;
    }
}

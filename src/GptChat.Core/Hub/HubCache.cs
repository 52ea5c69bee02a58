namespace GptChat.Hub;

/// <summary>
/// The Hugging Face hub cache layout, shared with Python's huggingface_hub:
/// <c>models--org--name/blobs/&lt;etag&gt;</c> (content), <c>snapshots/&lt;commit&gt;/&lt;path&gt;</c> (relative symlinks to
/// the blobs), <c>refs/&lt;revision&gt;</c> (the commit a branch or tag pointed at), and
/// <c>.locks/models--org--name/&lt;etag&gt;.lock</c> (one downloader per blob across processes).
/// </summary>
internal sealed class HubCache(string root)
{
    public string Root { get; } = Path.GetFullPath(root);

    public string RepoFolder(RepoId repo) => Path.Combine(Root, repo.CacheFolderName);

    public string BlobPath(RepoId repo, string blobName) =>
        RepoPath.IsSafeBlobName(blobName)
            ? Path.Combine(RepoFolder(repo), "blobs", blobName)
            : throw new GptChatException($"refusing unsafe blob name from the Hub for {repo}: '{blobName}'");

    /// <summary>Where a blob is written while it downloads (and stays after a cut, to resume).</summary>
    public static string IncompletePath(string blobPath) => blobPath + ".incomplete";

    /// <summary><c>.locks/models--org--name</c>: the repo's lock files, as huggingface_hub lays them out.</summary>
    public string LockFolder(RepoId repo) => Path.Combine(Root, ".locks", repo.CacheFolderName);

    public string LockPath(RepoId repo, string blobName) => Path.Combine(LockFolder(repo), blobName + ".lock");

    /// <summary>
    /// Our downloads of the repo hold this lock shared for their whole run, and <c>models rm</c> takes it exclusively.
    /// The leading '_' keeps it apart from blob locks: a blob name never starts with one.
    /// </summary>
    public string DownloadsLockPath(RepoId repo) => Path.Combine(LockFolder(repo), "_downloads.lock");

    public string SnapshotFolder(RepoId repo, string commit) =>
        RepoPath.IsCommitHash(commit)
            ? Path.Combine(RepoFolder(repo), "snapshots", commit)
            : throw new GptChatException($"refusing invalid commit hash for {repo}: '{commit}'");

    /// <summary>The commit a revision stands for in the cache: a commit hash with a snapshot, or what refs/&lt;revision&gt; says; else null.</summary>
    public string? FindCommit(RepoId repo, string revision)
    {
        if (RepoPath.IsCommitHash(revision))
            return Directory.Exists(SnapshotFolder(repo, revision)) ? revision : null;
        var refFile = RepoPath.Under(Path.Combine(RepoFolder(repo), "refs"), revision);
        if (!File.Exists(refFile))
            return null;
        var commit = File.ReadAllText(refFile).Trim();
        return RepoPath.IsCommitHash(commit) ? commit : null;
    }

    /// <summary>Records that <paramref name="revision"/> points at <paramref name="commit"/> (atomically, as huggingface_hub reads it).</summary>
    public void WriteRef(RepoId repo, string revision, string commit)
    {
        if (revision == commit)
            return;
        var refFile = RepoPath.Under(Path.Combine(RepoFolder(repo), "refs"), revision);
        Directory.CreateDirectory(Path.GetDirectoryName(refFile)!);
        var temp = refFile + "." + Guid.NewGuid().ToString("N") + ".tmp";
        File.WriteAllText(temp, commit);
        File.Move(temp, refFile, overwrite: true);
    }

    /// <summary>The files a snapshot holds (links whose blob exists), relative with '/' separators.</summary>
    public static IReadOnlyList<string> ListFiles(string folder)
    {
        if (!Directory.Exists(folder))
            return [];
        return Directory.EnumerateFiles(folder, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
            .Where(File.Exists) // a link to a deleted blob is not a file we have
            .Select(f => Path.GetRelativePath(folder, f).Replace(Path.DirectorySeparatorChar, '/'))
            .Where(f => !f.EndsWith(".tmp", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>
    /// Makes <c>snapshots/&lt;commit&gt;/&lt;path&gt;</c> a relative symlink to the blob, replacing whatever was there in one
    /// rename so a reader never sees a half-made entry. Where symlinks are not allowed, the blob is copied (as huggingface_hub does).
    /// </summary>
    public void LinkIntoSnapshot(RepoId repo, string commit, string path, string blobPath)
    {
        var snapshot = SnapshotFolder(repo, commit);
        var pointer = RepoPath.Under(snapshot, path);
        var folder = Path.GetDirectoryName(pointer)!;
        Directory.CreateDirectory(folder);
        var temp = pointer + "." + Guid.NewGuid().ToString("N") + ".tmp";
        try
        {
            File.CreateSymbolicLink(temp, Path.GetRelativePath(folder, blobPath));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or PlatformNotSupportedException)
        {
            File.Copy(blobPath, temp, overwrite: true);
        }
        File.Move(temp, pointer, overwrite: true);
    }
}

namespace GptChat.Hub;

/// <summary>
/// Every lock a download of a repo may hold, taken so that <c>models rm</c> cannot pull files from under one: our
/// downloads' repo lock, and the per-blob locks (<c>.locks/models--org--name/&lt;blob&gt;.lock</c>) that ours and
/// huggingface_hub's take while writing a blob.
/// </summary>
internal sealed class RepoRemovalLocks : IDisposable
{
    private const string IncompleteSuffix = ".incomplete";
    private const string LockSuffix = ".lock";

    private readonly List<FileLock> _held;

    private RepoRemovalLocks(List<FileLock> held, IReadOnlyList<string> blobNames)
    {
        _held = held;
        BlobNames = blobNames;
    }

    /// <summary>The blobs (finished or partial) these locks cover: the ones removal may delete.</summary>
    public IReadOnlyList<string> BlobNames { get; }

    /// <summary>All the repo's locks if each comes within <paramref name="wait"/> (in all); else null, holding none.</summary>
    public static async Task<RepoRemovalLocks?> TryTakeAsync(HubCache cache, RepoId repo, TimeSpan wait, CancellationToken cancellationToken)
    {
        var giveUpAt = DateTime.UtcNow + wait;
        var held = new List<FileLock>();
        try
        {
            // The repo lock first: once we hold it no download of ours starts, so the blob names read next are all there will be
            // (bar a Python download starting now, which removal leaves alone: see CachedModels).
            if (!await TakeAsync(cache.DownloadsLockPath(repo)))
                return null;
            var blobNames = ReadBlobNames(cache, repo);
            foreach (var name in blobNames)
                if (!await TakeAsync(cache.LockPath(repo, name)))
                    return null;
            var taken = new RepoRemovalLocks(held, blobNames);
            held = [];
            return taken;
        }
        finally
        {
            foreach (var fileLock in held)
                fileLock.Dispose();
        }

        async Task<bool> TakeAsync(string path)
        {
            var left = giveUpAt - DateTime.UtcNow;
            var fileLock = await FileLock.TryAcquireAsync(path, left > TimeSpan.Zero ? left : TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
            if (fileLock is not null)
                held.Add(fileLock);
            return fileLock is not null;
        }
    }

    /// <summary>Names with a lock file (a download may hold it before its blob exists) or a file in blobs/, sorted.</summary>
    private static IReadOnlyList<string> ReadBlobNames(HubCache cache, RepoId repo)
    {
        var names = new SortedSet<string>(StringComparer.Ordinal);
        var lockFolder = cache.LockFolder(repo);
        var downloadsLock = Path.GetFileName(cache.DownloadsLockPath(repo));
        if (Directory.Exists(lockFolder))
            foreach (var file in Directory.EnumerateFiles(lockFolder, "*" + LockSuffix).Select(Path.GetFileName).OfType<string>())
                if (file != downloadsLock)
                    names.Add(file[..^LockSuffix.Length]);
        var blobs = Path.Combine(cache.RepoFolder(repo), "blobs");
        if (Directory.Exists(blobs))
            foreach (var file in Directory.EnumerateFiles(blobs).Select(Path.GetFileName).OfType<string>())
                names.Add(file.EndsWith(IncompleteSuffix, StringComparison.Ordinal) ? file[..^IncompleteSuffix.Length] : file);
        return names.ToList();
    }

    /// <summary>Deletes the lock files while they are still held (see <see cref="FileLock.DeleteFile"/>).</summary>
    public void DeleteLockFiles()
    {
        foreach (var fileLock in _held)
            fileLock.DeleteFile();
    }

    public void Dispose()
    {
        foreach (var fileLock in _held)
            fileLock.Dispose();
    }
}

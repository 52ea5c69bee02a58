namespace GptChat.Hub;

/// <summary>
/// A lock on a file, across processes: a FileStream opened with FileShare.None, which .NET takes with flock(LOCK_EX) on
/// Unix — the same lock Python's filelock (used by huggingface_hub) takes, so we also exclude Python downloads. A shared
/// lock (FileShare.ReadWrite on a read-only stream, which .NET takes with LOCK_SH) lets holders run side by side while
/// still keeping out an exclusive one.
/// </summary>
internal sealed class FileLock : IDisposable
{
    private readonly FileStream _stream;
    private readonly string _path;

    private FileLock(FileStream stream, string path)
    {
        _stream = stream;
        _path = path;
    }

    /// <summary>Waits (with backoff, until cancelled) for the exclusive lock on <paramref name="path"/>, creating the file if needed.</summary>
    public static Task<FileLock> AcquireAsync(string path, CancellationToken cancellationToken) =>
        AcquireAsync(path, shared: false, cancellationToken);

    /// <summary>Waits (with backoff, until cancelled) for the lock on <paramref name="path"/>, creating the file if needed.</summary>
    public static async Task<FileLock> AcquireAsync(string path, bool shared, CancellationToken cancellationToken)
    {
        var delay = TimeSpan.FromMilliseconds(20);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (TryTake(path, shared) is { } taken)
                return taken;
            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 500));
        }
    }

    /// <summary>The exclusive lock if it is free now or comes within <paramref name="wait"/>; else null.</summary>
    public static async Task<FileLock?> TryAcquireAsync(string path, TimeSpan wait, CancellationToken cancellationToken)
    {
        if (TryTake(path, shared: false) is { } taken)
            return taken;
        using var giveUp = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        giveUp.CancelAfter(wait);
        try
        {
            return await AcquireAsync(path, shared: false, giveUp.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    /// <summary>One try: the lock, or null when another process (or thread) holds it.</summary>
    private static FileLock? TryTake(string path, bool shared)
    {
        while (true)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            FileStream stream;
            try
            {
                stream = shared
                    ? new FileStream(path, FileMode.OpenOrCreate, FileAccess.Read, FileShare.ReadWrite)
                    : new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException e) when (!DiskErrors.IsDiskFull(e))
            {
                return null;
            }
            // A process that deletes a lock file does so while holding it (see DeleteFile): if we opened the old file
            // just before that, our lock excludes nobody, since later comers open a new one. Python's filelock makes the
            // same check (st_nlink == 0) and opens again.
            if (File.Exists(path))
                return new FileLock(stream, path);
            stream.Dispose();
        }
    }

    /// <summary>
    /// Deletes the lock file while still holding it, so that anyone who opened it meanwhile sees it gone once they get it
    /// and opens a new one (deleting it after release instead could leave two holders: one on the old file, one on a new).
    /// </summary>
    public void DeleteFile() => File.Delete(_path);

    // Otherwise the lock file stays: deleting it after release would let a third process lock a new file while a second
    // already holds the old one.
    public void Dispose() => _stream.Dispose();
}

namespace GptChat.Hub;

/// <summary>
/// An exclusive lock on a file, across processes: a FileStream opened with FileShare.None, which .NET takes with
/// flock(LOCK_EX) on Unix — the same lock Python's filelock (used by huggingface_hub) takes, so we also exclude Python downloads.
/// </summary>
internal sealed class FileLock : IDisposable
{
    private readonly FileStream _stream;

    private FileLock(FileStream stream) => _stream = stream;

    /// <summary>Waits (with backoff, until cancelled) for the lock on <paramref name="path"/>, creating the file if needed.</summary>
    public static async Task<FileLock> AcquireAsync(string path, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var delay = TimeSpan.FromMilliseconds(20);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                return new FileLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (IOException e) when (!DiskErrors.IsDiskFull(e))
            {
                // Held by another process (or thread): wait and retry.
            }
            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 500));
        }
    }

    // The lock file stays: deleting it would let a third process lock a new inode while a second still waits on the old one.
    public void Dispose() => _stream.Dispose();
}

using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace GptChat.Hub;

/// <summary>
/// Downloads one file into its cache blob: into <c>&lt;blob&gt;.incomplete</c>, resuming with an HTTP Range after a cut,
/// checked against the size and hash the Hub states, then renamed into place — so a blob path never holds partial or
/// wrong bytes. The caller holds the blob's lock.
/// </summary>
internal sealed class BlobDownloader(HubClient client, HubSettings settings, IDownloadProgress? progress)
{
    private const int BufferSize = 1 << 16;

    public async Task DownloadAsync(string commit, string path, string blobPath, string blobName, long? size, bool isLfs,
                                    CancellationToken cancellationToken)
    {
        var incomplete = HubCache.IncompletePath(blobPath);
        Directory.CreateDirectory(Path.GetDirectoryName(blobPath)!);
        progress?.Started(path, size);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var (length, hash) = await FetchIntoAsync(commit, path, incomplete, blobName, size, isLfs, cancellationToken).ConfigureAwait(false);
                Verify(path, incomplete, blobName, size, length, hash);
                File.Move(incomplete, blobPath, overwrite: true);
                progress?.Finished(path);
                return;
            }
            catch (IOException e) when (DiskErrors.IsDiskFull(e))
            {
                throw new GptChatException($"disk full while downloading {path} into {Path.GetDirectoryName(blobPath)}: free some space (or use --cache-dir on another disk) and run again; the download resumes where it stopped");
            }
            catch (Exception e) when (IsCut(e, cancellationToken) && attempt < settings.MaxAttempts)
            {
                // Cut or stalled: try again; the next request resumes from what is on disk.
                await Task.Delay(TimeSpan.FromMilliseconds(100 * attempt), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (IsCut(e, cancellationToken))
            {
                throw new GptChatException($"download of {path} from {client.Host} failed after {attempt} attempt(s) ({Describe(e)}); run the command again to resume it");
            }
            catch (GptChatException) when (File.Exists(incomplete) && new FileInfo(incomplete).Length == 0)
            {
                File.Delete(incomplete); // refused before any byte arrived: nothing worth keeping
                throw;
            }
        }
    }

    /// <summary>One request: appends to <paramref name="incomplete"/> from its current length (or restarts it), hashing everything.</summary>
    private async Task<(long Length, IncrementalHash? Hash)> FetchIntoAsync(string commit, string path, string incomplete, string blobName,
                                                                            long? size, bool isLfs, CancellationToken cancellationToken)
    {
        await using var file = new FileStream(incomplete, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, BufferSize, FileOptions.Asynchronous);
        var kept = file.Length;
        if (size is { } expected && kept > expected)
            kept = 0; // not a prefix of this blob
        if (size is { } full && kept == full)
            return (kept, await HashPrefixAsync(file, kept, blobName, size, isLfs, cancellationToken).ConfigureAwait(false));

        using var response = await client.GetFileAsync(commit, path, kept, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.PartialContent || response.Content.Headers.ContentRange?.From != kept)
            kept = 0; // the server sent the whole file
        file.SetLength(kept);
        var total = size ?? response.Content.Headers.ContentRange?.Length ?? response.Content.Headers.ContentLength;
        var hash = await HashPrefixAsync(file, kept, blobName, total, isLfs, cancellationToken).ConfigureAwait(false);
        file.Seek(kept, SeekOrigin.Begin);
        progress?.Advanced(path, kept);

        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        var buffer = new byte[BufferSize];
        var written = kept;
        using var stall = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        while (true)
        {
            stall.CancelAfter(settings.StallTimeout);
            int read;
            try
            {
                read = await body.ReadAsync(buffer, stall.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                await file.FlushAsync(CancellationToken.None).ConfigureAwait(false);
                throw new TimeoutException($"no data for {settings.StallTimeout.TotalSeconds:0.#} s");
            }
            if (read == 0)
                break;
            await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
            hash?.AppendData(buffer, 0, read);
            written += read;
            progress?.Advanced(path, written);
        }
        await file.FlushAsync(cancellationToken).ConfigureAwait(false);
        return (written, hash);
    }

    /// <summary>
    /// A hash of the kind the blob name is (sha256 for LFS files; git's blob sha1, which needs the size up front, for others),
    /// fed with the part already on disk. Null when the name is not a hash we can check.
    /// </summary>
    private static async Task<IncrementalHash?> HashPrefixAsync(FileStream file, long kept, string blobName, long? size, bool isLfs,
                                                                CancellationToken cancellationToken)
    {
        IncrementalHash? hash = null;
        if (isLfs && blobName.Length == 64)
            hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        else if (!isLfs && blobName.Length == 40 && size is { } gitSize)
        {
            hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
            hash.AppendData(Encoding.ASCII.GetBytes($"blob {gitSize}\0"));
        }
        if (hash is null || kept == 0)
            return hash;
        file.Seek(0, SeekOrigin.Begin);
        var buffer = new byte[BufferSize];
        for (long left = kept; left > 0;)
        {
            var read = await file.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, left)), cancellationToken).ConfigureAwait(false);
            if (read == 0)
                break;
            hash.AppendData(buffer, 0, read);
            left -= read;
        }
        return hash;
    }

    private static void Verify(string path, string incomplete, string blobName, long? size, long length, IncrementalHash? hash)
    {
        string? problem = null;
        if (size is { } expected && length != expected)
            problem = $"size mismatch: expected {expected} bytes, got {length}";
        else if (hash is not null)
        {
            var actual = Convert.ToHexStringLower(hash.GetHashAndReset());
            if (!string.Equals(actual, blobName, StringComparison.OrdinalIgnoreCase))
                problem = $"checksum mismatch: expected {(blobName.Length == 64 ? "sha256" : "git sha1")} {blobName}, got {actual}";
        }
        hash?.Dispose();
        if (problem is null)
            return;
        File.Delete(incomplete);
        throw new GptChatException($"{path}: {problem}; the bad download was deleted, run the command again");
    }

    private static bool IsCut(Exception e, CancellationToken cancellationToken) =>
        !cancellationToken.IsCancellationRequested && e is IOException or HttpRequestException or TimeoutException;

    private static string Describe(Exception e) => e switch
    {
        TimeoutException => "stalled: " + e.Message,
        _ => "connection cut: " + e.Message,
    };
}

using System.Globalization;
using System.Runtime.InteropServices;

namespace GptChat.Modeling;

/// <summary>
/// Tells Linux that some memory-mapped weights are read at random (madvise MADV_RANDOM), so that a page fault
/// maps the page it needs instead of a read-ahead window around it.
/// Why: the token-embedding table (50257 × 768 floats, 147 MiB) is mapped from the optimised-model cache and read
/// one 3 KB row per token; with the default read-around, a 5-beam run of 40 tokens made 81 MiB of it resident
/// (10 MiB for greedy), which alone decided whether peak memory stayed under 1.3 × the model file.
/// Best effort: anywhere else (or on any error) it does nothing.
/// </summary>
internal static partial class RandomAccessPages
{
    private const int MadvRandom = 1;

    /// <summary>Advises every mapping of <paramref name="file"/> whose length is <paramref name="bytes"/> (rounded to pages).</summary>
    public static int Advise(string file, long bytes)
    {
        if (!OperatingSystem.IsLinux() || bytes <= 0)
            return 0;
        int advised = 0;
        try
        {
            long page = Environment.SystemPageSize;
            foreach (string line in File.ReadLines("/proc/self/maps"))
            {
                // start-end perms offset dev inode path
                int slash = line.IndexOf('/');
                if (slash < 0 || !line.AsSpan(slash).SequenceEqual(file))
                    continue;
                int dash = line.IndexOf('-');
                int space = line.IndexOf(' ');
                long start = long.Parse(line.AsSpan(0, dash), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                long end = long.Parse(line.AsSpan(dash + 1, space - dash - 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                long length = end - start;
                // ORT maps from the page below the tensor's offset to the page above its end.
                if (length < bytes || length > bytes + 2 * page)
                    continue;
                if (Madvise((nint)start, (nuint)length, MadvRandom) == 0)
                    advised++;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or OverflowException or DllNotFoundException or EntryPointNotFoundException)
        {
        }
        return advised;
    }

    /// <summary>
    /// Writes <paramref name="file"/> to disk and drops it from the page cache.
    /// Why: a file just written sits in the page cache as large folios, and a fault on a mapped large folio maps
    /// all of it, so MADV_RANDOM alone did not help right after the cache was built (beam5 peak 674 MiB; 591 MiB
    /// once the file was read back from disk page by page). Costs one read from disk on the next load.
    /// </summary>
    public static void DropFromPageCache(string file)
    {
        if (!OperatingSystem.IsLinux())
            return;
        try
        {
            using var handle = File.OpenHandle(file, FileMode.Open, FileAccess.ReadWrite);
            RandomAccess.FlushToDisk(handle);
            PosixFadvise((int)handle.DangerousGetHandle(), 0, 0, PosixFadvDontNeed);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or DllNotFoundException or EntryPointNotFoundException)
        {
        }
    }

    private const int PosixFadvDontNeed = 4;

    [LibraryImport("libc", EntryPoint = "posix_fadvise")]
    private static partial int PosixFadvise(int fd, long offset, long length, int advice);

    [LibraryImport("libc", EntryPoint = "madvise")]
    private static partial int Madvise(nint address, nuint length, int advice);
}

namespace GptChat.Hub;

/// <summary>Tells a full disk apart from other I/O failures, so it gets its own message instead of a retry.</summary>
internal static class DiskErrors
{
    private const int Enospc = 28;               // Linux, macOS
    private const int ErrorHandleDiskFull = 39;  // Windows
    private const int ErrorDiskFull = 112;       // Windows

    public static bool IsDiskFull(IOException e) =>
        (OperatingSystem.IsWindows() ? (e.HResult & 0xFFFF) is ErrorHandleDiskFull or ErrorDiskFull : e.HResult == Enospc)
        || e.Message.Contains("No space left on device", StringComparison.OrdinalIgnoreCase)
        || e.Message.Contains("not enough space on the disk", StringComparison.OrdinalIgnoreCase);
}

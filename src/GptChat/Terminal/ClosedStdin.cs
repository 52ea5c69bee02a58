namespace GptChat.Cli.Terminal;

/// <summary>
/// Detects a standard input that was closed when gptchat started (<c>gptchat &lt;&amp;-</c>). The runtime's first
/// pipe then takes the lowest free descriptor, 0, and reading "stdin" would wait for ever on the runtime's own pipe.
/// </summary>
internal static class ClosedStdin
{
    private const int CloseOnExec = 0x80000; // O_CLOEXEC, 02000000 octal, on Linux

    /// <summary>
    /// True when descriptor 0 was opened by this process: it carries close-on-exec, which an inherited descriptor
    /// never can (exec would have closed it). False where /proc cannot tell.
    /// </summary>
    public static bool AtStart()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/fdinfo/0"))
                if (line.StartsWith("flags:", StringComparison.Ordinal))
                    return (ParseOctal(line.AsSpan(6).Trim()) & CloseOnExec) != 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or OverflowException)
        {
        }
        return false;
    }

    public static GptChatException Error() =>
        new("stdin is closed: there is nothing to read (give --prompt TEXT, or pipe text in)");

    private static int ParseOctal(ReadOnlySpan<char> digits)
    {
        var value = 0;
        foreach (var c in digits)
            value = checked(value * 8 + (c is >= '0' and <= '7' ? c - '0' : throw new FormatException()));
        return value;
    }
}

namespace GptChat.Cli.Terminal;

/// <summary>
/// Detects a standard stream that was closed when gptchat started (<c>gptchat &lt;&amp;-</c>, <c>&gt;&amp;-</c>,
/// <c>2&gt;&amp;-</c>). The runtime's first pipes and files then take the lowest free descriptors: reading "stdin"
/// would wait for ever on the runtime's own pipe, and writing "stdout" would go nowhere or fail oddly.
/// </summary>
internal static class ClosedAtStart
{
    public const int Stdin = 0, Stdout = 1, Stderr = 2;
    private const int CloseOnExec = 0x80000; // O_CLOEXEC, 02000000 octal, on Linux

    /// <summary>
    /// True when <paramref name="descriptor"/> was opened by this process: it carries close-on-exec, which an
    /// inherited descriptor never can (exec would have closed it). False where /proc cannot tell.
    /// </summary>
    public static bool Descriptor(int descriptor)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/self/fdinfo/{descriptor}"))
                if (line.StartsWith("flags:", StringComparison.Ordinal))
                    return (ParseOctal(line.AsSpan(6).Trim()) & CloseOnExec) != 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or OverflowException)
        {
        }
        return false;
    }

    public static GptChatException StdinError() =>
        new("stdin is closed: there is nothing to read (give --prompt TEXT, or pipe text in)");

    public static GptChatException StdoutError() =>
        new("stdout is closed: there is nowhere to write the output (redirect it to a file or /dev/null instead)");

    private static int ParseOctal(ReadOnlySpan<char> digits)
    {
        var value = 0;
        foreach (var c in digits)
            value = checked(value * 8 + (c is >= '0' and <= '7' ? c - '0' : throw new FormatException()));
        return value;
    }
}

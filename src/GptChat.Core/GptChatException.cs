namespace GptChat;

/// <summary>
/// A failure the user can act on: the host prints <see cref="Exception.Message"/> as one line on stderr
/// (no stack trace) and exits with <see cref="ExitCode"/> (1 runtime error, 2 usage error).
/// </summary>
public sealed class GptChatException(string message, int exitCode = 1, Exception? inner = null)
    : Exception(message, inner)
{
    public int ExitCode { get; } = exitCode;
}

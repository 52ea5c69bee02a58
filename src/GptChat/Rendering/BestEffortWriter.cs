using System.Text;

namespace GptChat.Cli.Rendering;

/// <summary>
/// Stderr as the app writes it: warnings, progress and error lines are best effort. A stderr that is full, closed or
/// unwritable must not cost the replies on stdout, nor turn a clean exit code into an unhandled-exception abort.
/// </summary>
internal sealed class BestEffortWriter(TextWriter inner) : TextWriter
{
    public override Encoding Encoding => inner.Encoding;

    public override void Write(char value) => Try(() => inner.Write(value));
    public override void Write(string? value) => Try(() => inner.Write(value));
    public override void Write(char[] buffer, int index, int count) => Try(() => inner.Write(buffer, index, count));
    public override void WriteLine(string? value) => Try(() => inner.WriteLine(value));
    public override void Flush() => Try(inner.Flush);

    private static void Try(Action write)
    {
        try
        {
            write();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Nowhere to say it: the exit code still tells.
        }
    }
}

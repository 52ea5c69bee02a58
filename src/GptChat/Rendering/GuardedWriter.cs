using System.Text;
using GptChat.Cli.Chat;

namespace GptChat.Cli.Rendering;

/// <summary>
/// Stdout as the app writes it: a write that fails because the reader has gone (broken pipe) becomes an
/// <see cref="OutputClosedException"/>, so it can end the app quietly, distinct from file errors elsewhere.
/// </summary>
internal sealed class GuardedWriter(TextWriter inner) : TextWriter
{
    public override Encoding Encoding => inner.Encoding;

    public override void Write(char value) => Guard(() => inner.Write(value));
    public override void Write(string? value) => Guard(() => inner.Write(value));
    public override void Write(char[] buffer, int index, int count) => Guard(() => inner.Write(buffer, index, count));
    public override void WriteLine(string? value) => Guard(() => inner.WriteLine(value));
    public override void Flush() => Guard(inner.Flush);

    private static void Guard(Action write)
    {
        try
        {
            write();
        }
        catch (IOException e)
        {
            throw new OutputClosedException(e);
        }
    }
}

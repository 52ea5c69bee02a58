using System.Text;
using GptChat.Cli.Chat;

namespace GptChat.Cli.Rendering;

/// <summary>
/// Stdout as the app writes it. A failed write becomes one of two things: <see cref="OutputClosedException"/> when
/// the reader of a pipe has gone (the app ends quietly: <c>gptchat &lt; file | head -1</c>), or a
/// <see cref="GptChatException"/> naming the cause (disk full, I/O error), so a lost reply is never silent and never
/// a stack trace.
/// </summary>
/// <param name="inner">Where the text goes.</param>
/// <param name="toPipe">True when <paramref name="inner"/> writes to a pipe: then any write error means the reader left.</param>
internal sealed class GuardedWriter(TextWriter inner, bool toPipe) : TextWriter
{
    public override Encoding Encoding => inner.Encoding;

    public override void Write(char value) => Guard(() => inner.Write(value));
    public override void Write(string? value) => Guard(() => inner.Write(value));
    public override void Write(char[] buffer, int index, int count) => Guard(() => inner.Write(buffer, index, count));
    public override void WriteLine(string? value) => Guard(() => inner.WriteLine(value));
    public override void Flush() => Guard(inner.Flush);

    private void Guard(Action write)
    {
        try
        {
            write();
        }
        catch (IOException e) when (toPipe)
        {
            throw new OutputClosedException(e);
        }
        catch (IOException e)
        {
            throw new GptChatException($"cannot write to standard output: {e.Message}");
        }
    }
}

namespace GptChat.Cli.Rendering;

/// <summary>
/// Writes a streamed reply: without the whitespace it starts with (GPT-2 continues " John", we show "John"),
/// unless the prompt is echoed before it, where the text must join exactly. Flushes each piece so it shows at once.
/// </summary>
internal sealed class ReplyPrinter(TextWriter output, bool keepLeadingWhitespace)
{
    private bool _started = keepLeadingWhitespace;

    public void Write(string piece)
    {
        if (!_started)
        {
            piece = piece.TrimStart();
            if (piece.Length == 0)
                return;
            _started = true;
        }
        output.Write(piece);
        output.Flush();
    }
}

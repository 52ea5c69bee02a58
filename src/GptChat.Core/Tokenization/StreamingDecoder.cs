using System.Text;

namespace GptChat.Tokenization;

/// <summary>Turns tokens into text as they arrive, holding back bytes of a character split across tokens.</summary>
public sealed class StreamingDecoder
{
    private readonly TokenByteTable _tokens;
    private readonly Decoder _utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false).GetDecoder();

    internal StreamingDecoder(TokenByteTable tokens) => _tokens = tokens;

    /// <summary>Adds tokens; returns the text that is now complete (may be empty).</summary>
    public string Append(ReadOnlySpan<int> ids)
    {
        // Look every id up first, so a bad id leaves the held-back bytes untouched.
        var pieces = new byte[ids.Length][];
        for (int i = 0; i < ids.Length; i++)
            pieces[i] = _tokens[ids[i]];

        var text = new StringBuilder();
        foreach (var bytes in pieces)
            AppendChars(text, bytes, flush: false);
        return text.ToString();
    }

    /// <summary>Returns whatever is held back (an incomplete character becomes U+FFFD) and resets.</summary>
    public string Flush()
    {
        var text = new StringBuilder();
        AppendChars(text, [], flush: true);
        return text.ToString();
    }

    private void AppendChars(StringBuilder text, ReadOnlySpan<byte> bytes, bool flush)
    {
        Span<char> chars = stackalloc char[256];
        int needed = _utf8.GetCharCount(bytes, flush);
        var buffer = needed <= chars.Length ? chars : new char[needed];
        int written = _utf8.GetChars(bytes, buffer, flush);
        text.Append(buffer[..written]);
    }
}

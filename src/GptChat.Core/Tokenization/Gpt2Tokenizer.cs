namespace GptChat.Tokenization;

/// <summary>
/// GPT-2's byte-level BPE tokenizer, identical to OpenAI's encoder. User text is plain text: special
/// tokens such as <c>&lt;|endoftext|&gt;</c> are never produced by <see cref="Encode"/>.
/// </summary>
public sealed class Gpt2Tokenizer
{
    /// <summary>The id of <c>&lt;|endoftext|&gt;</c>.</summary>
    public const int EndOfTextId = 50256;

    /// <summary>From the model folder's vocab.json + merges.txt when present, else the built-in GPT-2 vocabulary.</summary>
    public static Gpt2Tokenizer Load(string? modelFolder = null) => throw new NotImplementedException();

    public IReadOnlyList<int> Encode(string text) => throw new NotImplementedException();

    /// <summary>Decodes whole sequences (invalid UTF-8 becomes U+FFFD).</summary>
    public string Decode(IEnumerable<int> ids) => throw new NotImplementedException();

    /// <summary>A decoder for streaming that never emits half a character.</summary>
    public StreamingDecoder CreateStreamingDecoder() => throw new NotImplementedException();
}

/// <summary>Turns tokens into text as they arrive, holding back bytes of a character split across tokens.</summary>
public sealed class StreamingDecoder
{
    /// <summary>Adds tokens; returns the text that is now complete (may be empty).</summary>
    public string Append(ReadOnlySpan<int> ids) => throw new NotImplementedException();

    /// <summary>Returns whatever is held back (an incomplete character becomes U+FFFD) and resets.</summary>
    public string Flush() => throw new NotImplementedException();
}

using GptChat.Generation;
using GptChat.Tokenization;

namespace GptChat.Chat;

/// <summary>
/// The conversation: turns user lines into prompt ids in the chosen <see cref="ChatFormat"/>, keeps the
/// history, and fits prompt + reply into the model's context by dropping whole oldest turns (and, only when
/// the current turn alone is too long, its oldest tokens). Never fails for length.
/// </summary>
public sealed class ChatSession
{
    /// <summary>The id that ends a turn in the DialoGPT format (GPT-2's <c>&lt;|endoftext|&gt;</c>).</summary>
    public const int EndOfTextId = Gpt2Tokenizer.EndOfTextId;

    /// <summary>
    /// No GPT-2 token spans more characters than this, so the last <c>context × this</c> characters of a line
    /// hold at least its last <c>context</c> tokens: a 10 MB line is cut before encoding, not after.
    /// </summary>
    internal const int MaxCharsPerToken = 128;

    private readonly Func<string, IReadOnlyList<int>> _encode;
    private readonly List<HistoryEntry> _history = [];

    /// <param name="encode">The tokenizer's plain-text encoder (user text never yields special tokens).</param>
    /// <param name="contextLength">The model's <c>n_positions</c>.</param>
    public ChatSession(Func<string, IReadOnlyList<int>> encode, int contextLength, ChatFormat format = ChatFormat.Plain)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(contextLength, 2);
        _encode = encode;
        ContextLength = contextLength;
        Format = format;
    }

    public int ContextLength { get; }

    /// <summary>May change mid-conversation: history is kept as text and re-encoded in the new format.</summary>
    public ChatFormat Format { get; set; }

    public IReadOnlyList<ChatTurn> History => _history.Select(h => h.Turn).ToList();

    public void Reset() => _history.Clear();

    /// <summary>Builds the prompt for <paramref name="userLine"/> with a reply budget from <paramref name="options"/> (see <see cref="ReplyLength.From"/>).</summary>
    public PreparedPrompt Prepare(string userLine, GenerationOptions options, bool maxLengthExplicit)
    {
        var warnings = new List<string>();
        var line = Format == ChatFormat.Plain ? userLine : userLine.Trim();
        var maxChars = ContextLength * MaxCharsPerToken;
        var textCut = line.Length > maxChars;
        if (textCut)
            line = line[^maxChars..];
        var lineIds = _encode(line);

        var length = ReplyLength.From(options, maxLengthExplicit, lineIds.Count);
        if (length.Warning is not null)
            warnings.Add(length.Warning);

        var current = CurrentTurnIds(line, lineIds);

        // Room for the prompt: what the reply leaves, but never less than half the context (or the whole
        // turn if shorter): a huge max_new_tokens shrinks to fit rather than starving the prompt.
        var maxNew = length.MaxNewTokens;
        var promptRoom = ContextLength - maxNew;
        var minimumRoom = Math.Min(current.Count, ContextLength / 2);
        if (promptRoom < minimumRoom)
        {
            promptRoom = minimumRoom;
            maxNew = ContextLength - promptRoom;
            warnings.Add($"at most {maxNew} new tokens fit in the model's context of {ContextLength} tokens");
        }

        if (textCut || current.Count > promptRoom)
        {
            if (current.Count > promptRoom)
                current = current[^promptRoom..];
            warnings.Add($"input of {userLine.Length} characters is too long for the context ({ContextLength} tokens): kept its last {current.Count} tokens");
        }

        // Keep the newest whole turns that fit beside the current one.
        var room = promptRoom - current.Count;
        var first = _history.Count;
        while (first > 0 && TurnIds(_history[first - 1]).Count <= room)
        {
            room -= TurnIds(_history[first - 1]).Count;
            first--;
        }

        var ids = new List<int>(promptRoom - room);
        for (var i = first; i < _history.Count; i++)
            ids.AddRange(TurnIds(_history[i]));
        ids.AddRange(current);

        length = length with { MaxNewTokens = maxNew, MinNewTokens = Math.Min(length.MinNewTokens, maxNew) };
        return new PreparedPrompt(ids, length, lineIds.Count, first, warnings);
    }

    /// <summary>
    /// Records a finished exchange (a no-op in the plain format, which has no history) and forgets the turns
    /// that <paramref name="prepared"/> had to leave out, so history only ever loses whole oldest turns.
    /// </summary>
    public void Commit(PreparedPrompt prepared, string userLine, string reply)
    {
        if (Format == ChatFormat.Plain)
            return;
        _history.RemoveRange(0, Math.Min(prepared.DroppedTurns, _history.Count));
        _history.Add(new HistoryEntry(new ChatTurn(userLine.Trim(), reply.Trim())));
    }

    /// <summary>
    /// Where the bot's turn ends in the text generated so far, or -1 while it goes on. Only the transcript
    /// format ends turns by text (at the end of the bot's line, or where it starts speaking for the user);
    /// DialoGPT's turns end with the EOS token, which the generator handles.
    /// </summary>
    public int FindTurnEnd(string generated)
    {
        if (Format != ChatFormat.Transcript)
            return -1;
        var start = 0;
        while (start < generated.Length && char.IsWhiteSpace(generated[start]))
            start++;
        var newline = generated.IndexOf('\n', start);
        var user = generated.IndexOf(TranscriptUser, start, StringComparison.Ordinal);
        return (newline, user) switch
        {
            (< 0, < 0) => -1,
            (< 0, _) => user,
            (_, < 0) => newline,
            _ => Math.Min(newline, user),
        };
    }

    private const string TranscriptUser = "User:";
    private const string TranscriptBot = "Bot:";

    private List<int> CurrentTurnIds(string line, IReadOnlyList<int> lineIds) => Format switch
    {
        ChatFormat.Transcript => [.. _encode($"{TranscriptUser} {line}\n{TranscriptBot}")],
        ChatFormat.DialoGpt => [.. lineIds, EndOfTextId],
        _ => [.. lineIds],
    };

    private IReadOnlyList<int> TurnIds(HistoryEntry entry)
    {
        if (entry.CachedFormat == Format && entry.CachedIds is not null)
            return entry.CachedIds;
        var turn = entry.Turn;
        List<int> ids = Format switch
        {
            ChatFormat.Transcript => [.. _encode($"{TranscriptUser} {turn.User}\n{TranscriptBot} {turn.Bot}\n")],
            ChatFormat.DialoGpt => [.. _encode(turn.User), EndOfTextId, .. _encode(turn.Bot), EndOfTextId],
            _ => [],
        };
        entry.CachedFormat = Format;
        entry.CachedIds = ids;
        return ids;
    }

    private sealed class HistoryEntry(ChatTurn turn)
    {
        public ChatTurn Turn { get; } = turn;
        public ChatFormat CachedFormat { get; set; }
        public IReadOnlyList<int>? CachedIds { get; set; }
    }
}

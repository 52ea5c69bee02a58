using System.Text;
using GptChat.Chat;
using GptChat.Tokenization;

namespace GptChat.Cli.Chat;

/// <summary>
/// Turns the best sequence's final tokens (the generator never streams EOS) into text as they arrive: holds
/// back split characters and stops at the end of the bot's turn (transcript format), passing each new piece on.
/// </summary>
internal sealed class ReplyStream(StreamingDecoder decoder, ChatSession session, Action<string>? onText)
{
    private readonly List<int> _ids = [];
    private readonly StringBuilder _text = new();
    private int _shown;

    /// <summary>Tokens taken so far, in order.</summary>
    public IReadOnlyList<int> Ids => _ids;

    /// <summary>True once the bot's turn ended in the text: later tokens are ignored.</summary>
    public bool EndedByTurn { get; private set; }

    public string Text => _text.ToString(0, _shown);

    /// <summary>Takes more tokens; returns true when the turn has ended and generation can stop.</summary>
    public bool Add(ReadOnlySpan<int> tokens)
    {
        foreach (var token in tokens)
        {
            if (EndedByTurn)
                break;
            _ids.Add(token);
            Show(decoder.Append([token]));
        }
        return EndedByTurn;
    }

    /// <summary>Shows what the decoder still holds (end of generation).</summary>
    public void Finish()
    {
        if (!EndedByTurn)
            Show(decoder.Flush());
    }

    private void Show(string piece)
    {
        if (piece.Length == 0)
            return;
        _text.Append(piece);
        var end = session.FindTurnEnd(_text.ToString());
        if (end >= 0)
        {
            EndedByTurn = true;
            _text.Length = Math.Max(end, _shown);   // what was shown stays shown
        }
        if (_text.Length > _shown)
        {
            var fresh = _text.ToString(_shown, _text.Length - _shown);
            _shown = _text.Length;
            onText?.Invoke(fresh);
        }
    }
}

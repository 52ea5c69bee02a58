using GptChat.Chat;
using GptChat.Generation;

namespace GptChat.Cli.Chat;

/// <summary>One finished reply.</summary>
/// <param name="Prompt">The prompt that was fed, fitted to the context.</param>
/// <param name="Sequences">Returned sequences, best first (one when the reply was cut short).</param>
/// <param name="Text">The reply as shown: the best sequence decoded, without EOS, ending where the bot's turn ended.</param>
/// <param name="Interrupted">True when the user stopped the reply (Ctrl+C).</param>
internal sealed record Reply(
    PreparedPrompt Prompt,
    IReadOnlyList<GeneratedSequence> Sequences,
    string Text,
    FinishReason FinishReason,
    bool Interrupted,
    ReplyTimings Timings);

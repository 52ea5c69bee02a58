namespace GptChat.Chat;

/// <summary>The model input for one reply, already fitted to the context window.</summary>
/// <param name="Ids">Prompt token ids (history and format included).</param>
/// <param name="Length">The reply's token budget; <c>Ids.Count + Length.MaxNewTokens</c> never exceeds the context.</param>
/// <param name="LineTokens">Tokens of the user's line alone, before any truncation.</param>
/// <param name="DroppedTurns">Oldest history turns left out to make room (they are forgotten when the reply is committed).</param>
/// <param name="Warnings">Lines for the user: truncation, clamping, length rules that could not be honoured.</param>
public sealed record PreparedPrompt(
    IReadOnlyList<int> Ids,
    ReplyLength Length,
    int LineTokens,
    int DroppedTurns,
    IReadOnlyList<string> Warnings);

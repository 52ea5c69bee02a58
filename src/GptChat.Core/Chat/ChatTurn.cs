namespace GptChat.Chat;

/// <summary>One finished exchange of the conversation, kept as text so any format can re-encode it.</summary>
public sealed record ChatTurn(string User, string Bot);

namespace GptChat.Chat;

/// <summary>How a conversation is turned into the model's prompt.</summary>
public enum ChatFormat
{
    /// <summary>Each line on its own, encoded as is (the reference program's behaviour): no history.</summary>
    Plain,
    /// <summary>A running "User: …\nBot: …" transcript; the bot's turn ends at the end of its line.</summary>
    Transcript,
    /// <summary>DialoGPT's format: turns joined by <c>&lt;|endoftext|&gt;</c> (id 50256, inserted by the app).</summary>
    DialoGpt,
}

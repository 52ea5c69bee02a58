namespace GptChat.Cli.Chat;

/// <summary>Stdout went away (e.g. <c>gptchat &lt; file | head -1</c>): the app ends quietly.</summary>
internal sealed class OutputClosedException(IOException inner) : Exception("output closed", inner);

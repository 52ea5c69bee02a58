namespace GptChat.Cli.Rendering;

/// <summary>What the app says on stderr besides replies: warnings, stats, errors — styled when stderr is a terminal.</summary>
internal sealed class Notices(TextWriter error)
{
    public ConsoleStyle Style { get; } = ConsoleStyle.For(Console.IsErrorRedirected);

    public TextWriter Writer => error;

    public void Warn(string message) => error.WriteLine(Style.Yellow($"gptchat: warning: {message}"));

    public void Error(string message) => error.WriteLine(Style.Red($"gptchat: {message}"));

    public void Stats(GptChat.Cli.Chat.ReplyTimings timings) => error.WriteLine(Style.Dim(timings.Describe()));
}

namespace GptChat.Cli.Rendering;

/// <summary>ANSI colour for one stream: only when that stream is a terminal and <c>NO_COLOR</c> is unset (no-color.org).</summary>
internal sealed class ConsoleStyle(bool enabled)
{
    public static ConsoleStyle For(bool redirected) =>
        new(!redirected && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR")));

    public string Dim(string text) => Wrap("2", text);
    public string Bold(string text) => Wrap("1", text);
    public string Cyan(string text) => Wrap("36", text);
    public string Green(string text) => Wrap("32", text);
    public string Yellow(string text) => Wrap("33", text);
    public string Red(string text) => Wrap("31", text);

    private string Wrap(string code, string text) => enabled ? $"\u001b[{code}m{text}\u001b[0m" : text;
}

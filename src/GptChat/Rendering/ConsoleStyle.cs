namespace GptChat.Cli.Rendering;

/// <summary>
/// ANSI colour for one stream: only when that stream is a terminal, <c>NO_COLOR</c> is unset (no-color.org) and the
/// terminal is not <c>TERM=dumb</c> (which shows escape codes as text).
/// </summary>
internal sealed class ConsoleStyle(bool enabled)
{
    public static ConsoleStyle For(bool redirected, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        return new(!redirected && string.IsNullOrEmpty(environment("NO_COLOR")) && environment("TERM") != "dumb");
    }

    public string Dim(string text) => Wrap("2", text);
    public string Bold(string text) => Wrap("1", text);
    public string Cyan(string text) => Wrap("36", text);
    public string Green(string text) => Wrap("32", text);
    public string Yellow(string text) => Wrap("33", text);
    public string Red(string text) => Wrap("31", text);

    private string Wrap(string code, string text) => enabled ? $"\u001b[{code}m{text}\u001b[0m" : text;
}

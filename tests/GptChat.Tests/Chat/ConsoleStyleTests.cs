using GptChat.Cli.Rendering;

namespace GptChat.Tests.Chat;

public class ConsoleStyleTests
{
    [Theory]
    [InlineData(false, "xterm-256color", null, true)]
    [InlineData(true, "xterm-256color", null, false)]   // a file or pipe gets plain text
    [InlineData(false, "xterm-256color", "1", false)]   // NO_COLOR
    [InlineData(false, "dumb", null, false)]            // shows escape codes as text
    public void Colour_only_on_a_capable_terminal_without_NO_COLOR(bool redirected, string term, string? noColor, bool coloured)
    {
        var style = ConsoleStyle.For(redirected, name => name switch { "TERM" => term, "NO_COLOR" => noColor, _ => null });

        Assert.Equal(coloured ? "\u001b[32mok\u001b[0m" : "ok", style.Green("ok"));
    }
}

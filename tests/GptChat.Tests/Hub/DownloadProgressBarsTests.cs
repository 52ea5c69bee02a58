using GptChat.Cli.Rendering;
using Spectre.Console;

namespace GptChat.Tests.Hub;

public sealed class DownloadProgressBarsTests
{
    private static (IAnsiConsole Console, StringWriter Output) Terminal()
    {
        var output = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = AnsiSupport.Yes,
            Interactive = InteractionSupport.Yes,
            ColorSystem = ColorSystemSupport.NoColors,
        });
        console.Profile.Width = 120;
        return (console, output);
    }

    [Fact]
    public async Task Each_file_gets_a_bar_that_ends_full()
    {
        var (console, output) = Terminal();

        var result = await DownloadProgressRenderer.RunWithBarsAsync(console, progress =>
        {
            progress!.Started("config.json", 699);
            progress.Advanced("config.json", 699);
            progress.Finished("config.json");
            progress.Started("onnx/model.onnx", 6_923_094);
            progress.Advanced("onnx/model.onnx", 3_000_000);
            progress.Advanced("onnx/model.onnx", 6_923_094);
            progress.Finished("onnx/model.onnx");
            return Task.FromResult(42);
        });

        Assert.Equal(42, result);
        var text = output.ToString();
        Assert.Contains("config.json", text);
        Assert.Contains("onnx/model.onnx", text);
        Assert.Contains("100%", text);
        Assert.Contains("6.6 MiB", text); // Spectre's byte column (binary units)
    }

    [Fact]
    public async Task Nothing_is_drawn_when_nothing_is_downloaded()
    {
        var (console, output) = Terminal();

        await DownloadProgressRenderer.RunWithBarsAsync(console, _ => Task.FromResult(0));

        Assert.Equal("", output.ToString());
    }

    [Fact]
    public async Task A_failure_closes_the_bars_and_propagates()
    {
        var (console, output) = Terminal();

        await Assert.ThrowsAsync<GptChatException>(() => DownloadProgressRenderer.RunWithBarsAsync<int>(console, progress =>
        {
            progress!.Started("onnx/model.onnx", 1000);
            progress.Advanced("onnx/model.onnx", 500);
            throw new GptChatException("cut");
        }));

        Assert.Contains("onnx/model.onnx", output.ToString());
    }
}

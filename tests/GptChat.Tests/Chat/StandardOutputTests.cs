using static GptChat.Tests.Chat.ChatRuns;
using static GptChat.Tests.Chat.ShellRuns;

namespace GptChat.Tests.Chat;

/// <summary>
/// Stdout that fails: a pipe whose reader has gone ends the app quietly and at once; a full disk is one line on
/// stderr and exit 1, never a silent loss and never a stack trace.
/// </summary>
public class StandardOutputTests
{
    [Fact]
    public async Task An_endless_pipe_stops_as_soon_as_the_reader_has_gone()
    {
        // `yes` never ends: gptchat only stops because the write after head's exit fails. Were the broken pipe
        // ignored, it would answer "Hello" for ever and this run would hit its time limit.
        var run = await ShellAsync("yes Hello 2>/dev/null | dotnet \"$0\" --model \"$1\" --num-beams 1 --max-new-tokens 3 | head -1; echo \"status=${PIPESTATUS[1]}\"",
                                   Dll, TestPaths.TinyModel);

        var lines = Lines(run.StdOut);
        Assert.Equal(2, lines.Length);            // head's one line, then gptchat's status
        Assert.Equal("status=0", lines[1]);
        Assert.Equal("", run.StdErr);
    }

    [Theory]
    [InlineData("--model", "MODEL", "-p", "Hello", "--num-beams", "1")]   // one-shot
    [InlineData("tokenize", "Hello")]
    [InlineData("models")]
    [InlineData("--help")]
    public async Task A_full_disk_is_one_line_and_exit_1(params string[] args)
    {
        var argv = args.Select(a => a == "MODEL" ? TestPaths.TinyModel : a).ToArray();
        var run = await ShellAsync("dotnet \"$0\" \"$@\" > /dev/full", [Dll, .. argv]);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("gptchat: cannot write to standard output: No space left on device", run.StdErr.TrimEnd('\n'));
    }

    [Fact]
    public async Task Pipe_mode_into_a_full_disk_stops_at_the_first_reply()
    {
        var run = await ShellAsync("printf 'Hello\\nWorld\\n' | dotnet \"$0\" --model \"$1\" --num-beams 1 --max-new-tokens 3 > /dev/full",
                                   Dll, TestPaths.TinyModel);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("gptchat: cannot write to standard output: No space left on device", run.StdErr.TrimEnd('\n'));
    }
}

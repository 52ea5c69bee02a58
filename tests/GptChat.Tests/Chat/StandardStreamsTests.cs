using static GptChat.Tests.Chat.ChatRuns;
using static GptChat.Tests.Chat.ShellRuns;

namespace GptChat.Tests.Chat;

/// <summary>
/// Standard streams that fail. Stdout: a pipe whose reader has gone ends the app quietly and at once; a full disk
/// or a closed stdout is one line on stderr and exit 1, never a silent loss and never a stack trace. Stderr: best
/// effort, so a full or closed stderr costs neither the replies nor the exit code.
/// </summary>
public class StandardStreamsTests
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
        var run = await GptChatAsync("> /dev/full", args);

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

    [Fact]
    public async Task A_closed_stdout_is_one_line_and_exit_1()
    {
        var run = await GptChatAsync(">&-", "--model", "MODEL", "-p", "Hello", "--num-beams", "1");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("gptchat: stdout is closed: there is nowhere to write the output (redirect it to a file or /dev/null instead)",
                     run.StdErr.TrimEnd('\n'));
    }

    [Theory]
    [InlineData("2>&-", "--max-length 0", 2)]          // a usage error's line cannot be written
    [InlineData("2>&-", "--stats", 0)]                 // nor the stats
    [InlineData("2>/dev/full", "--max-length 1", 0)]   // nor a warning (the prompt reaches max_length)
    public async Task A_full_or_closed_stderr_keeps_the_reply_and_the_exit_code(string redirect, string options, int exitCode)
    {
        string[] args = ["-p", "Hello", "--num-beams", "1", "--max-new-tokens", "3", .. options.Split(' ')];
        var run = await GptChatAsync(redirect, ["--model", "MODEL", .. args]);
        var expected = await RunAsync(Tiny(args));

        Assert.Equal(exitCode, run.ExitCode);
        Assert.Equal(exitCode, expected.ExitCode);
        Assert.Equal(expected.StdOut, run.StdOut);
        Assert.Equal("", run.StdErr);
    }
}

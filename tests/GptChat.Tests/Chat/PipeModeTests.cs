using System.Diagnostics;
using System.Text;
using static GptChat.Tests.Chat.ChatRuns;

namespace GptChat.Tests.Chat;

/// <summary>stdin redirected, no <c>--prompt</c>: one reply line per input line.</summary>
public class PipeModeTests
{
    private static readonly string[] Fast = ["--num-beams", "1", "--max-new-tokens", "12"];

    [Fact]
    public async Task Each_line_gets_exactly_one_reply_line_the_same_as_one_shot()
    {
        string[] prompts = ["Hello, my name is", "The weather today", "I like"];
        var run = await RunAsync(Tiny(Fast), string.Join("\n", prompts) + "\n");

        Assert.Equal(0, run.ExitCode);
        var lines = run.StdOut.Split('\n');
        Assert.Equal(prompts.Length + 1, lines.Length);      // one line each, newline-terminated
        Assert.Equal("", lines[^1]);
        for (var i = 0; i < prompts.Length; i++)
        {
            var alone = await RunAsync(Tiny([.. Fast, "-p", prompts[i]]));
            Assert.Equal(alone.StdOut.TrimEnd('\n'), lines[i]);
        }
    }

    [Fact]
    public async Task Empty_lines_are_skipped_and_crlf_is_accepted()
    {
        var run = await RunAsync(Tiny(Fast), "\n\nHello\r\n   \nWorld\n\n");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(2, run.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public async Task A_stop_phrase_line_ends_processing()
    {
        var run = await RunAsync(Tiny(Fast), "Hello\n好的，谢谢！\nNot answered\n");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(1, run.StdOut.Count(c => c == '\n'));
    }

    [Fact]
    public async Task Custom_stop_phrases_replace_the_default()
    {
        var run = await RunAsync(Tiny([.. Fast, "--stop-phrase", "bye", "--stop-phrase", "quit"]), "Hello\n好的,谢谢!\n quit \nNot answered\n");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(2, run.StdOut.Count(c => c == '\n'));    // a reply line may be empty
    }

    [Fact]
    public async Task A_reply_equal_to_a_stop_phrase_ends_processing_after_it_is_printed()
    {
        var alone = await RunAsync(Tiny([.. Fast, "-p", "Hello"]));
        var reply = alone.StdOut.TrimEnd('\n');
        Assert.NotEmpty(reply);

        var run = await RunAsync(Tiny([.. Fast, "--stop-phrase", reply]), "Hello\nNot answered\n");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(reply + "\n", run.StdOut);
    }

    [Fact]
    public async Task Dialogpt_joins_the_turns_with_the_end_of_text_id()
    {
        var run = await RunAsync(Tiny([.. Fast, "--json", "--format", "dialogpt"]), "Hello\nHow are you?\n");

        Assert.Equal(0, run.ExitCode);
        var lines = Lines(run.StdOut);
        var tokenizer = GptChat.Tokenization.Gpt2Tokenizer.Load();
        var first = ParseLine(lines[0]);
        Assert.Equal([.. tokenizer.Encode("Hello"), 50256], PromptIds(first));
        var reply = first.GetProperty("sequences")[0].GetProperty("text").GetString()!.Trim();
        int[] second = [.. tokenizer.Encode("Hello"), 50256, .. tokenizer.Encode(reply), 50256, .. tokenizer.Encode("How are you?"), 50256];
        Assert.Equal(second, PromptIds(ParseLine(lines[1])));
    }

    [Fact]
    public async Task Transcript_keeps_a_user_and_bot_transcript_as_context()
    {
        var run = await RunAsync(Tiny([.. Fast, "--json", "--format", "transcript"]), "Hello\nHow are you?\n");

        Assert.Equal(0, run.ExitCode);
        var lines = Lines(run.StdOut);
        var tokenizer = GptChat.Tokenization.Gpt2Tokenizer.Load();
        var first = ParseLine(lines[0]);
        Assert.Equal("User: Hello\nBot:", tokenizer.Decode(PromptIds(first)));
        var reply = first.GetProperty("sequences")[0].GetProperty("text").GetString()!;
        Assert.DoesNotContain('\n', reply.Trim());          // the bot's turn ends at the end of its line
        Assert.Equal($"User: Hello\nBot: {reply.Trim()}\nUser: How are you?\nBot:", tokenizer.Decode(PromptIds(ParseLine(lines[1]))));
    }

    [Fact]
    public async Task Json_gives_one_object_per_line()
    {
        var run = await RunAsync(Tiny([.. Fast, "--json"]), "Hello\nWorld\n");

        Assert.Equal(0, run.ExitCode);
        var lines = Lines(run.StdOut);
        Assert.Equal(2, lines.Length);
        foreach (var line in lines)
        {
            var reply = ParseLine(line);
            Assert.NotEmpty(PromptIds(reply));
            Assert.NotEmpty(SequenceIds(reply)[0]);
            Assert.True(reply.TryGetProperty("timings", out _));
        }
        Assert.Equal([15496], PromptIds(ParseLine(lines[0])));   // "Hello", encoded as is
    }

    [Fact]
    public async Task Invalid_utf8_is_replaced_and_warned_about_once()
    {
        var input = new List<byte>();
        input.AddRange("Hello "u8.ToArray());
        input.AddRange([0xFF, 0xFE, (byte)'\n']);
        input.AddRange("World "u8.ToArray());
        input.AddRange([0xC3, (byte)'\n']);
        var run = await GptChatProcess.RunAsync(Tiny([.. Fast, "--json"]), input.ToArray(), TimeSpan.FromSeconds(120));

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(2, Lines(run.StdOut).Length);
        Assert.Equal(1, CountOf(run.StdErr, "not valid UTF-8"));
        Assert.False(HasStackTrace(run.StdErr));
    }

    [Fact]
    public async Task A_10_MB_line_is_left_truncated_to_the_context_with_a_warning()
    {
        var huge = new StringBuilder(10 * 1024 * 1024 + 16);
        while (huge.Length < 10 * 1024 * 1024)
            huge.Append("lorem ipsum ");
        huge.Append("end\nHello\n");
        var run = await RunAsync(Tiny([.. Fast, "--json"]), huge.ToString());

        Assert.Equal(0, run.ExitCode);
        var lines = Lines(run.StdOut);
        Assert.Equal(2, lines.Length);
        var prompt = PromptIds(ParseLine(lines[0]));
        Assert.Equal(256 - 12, prompt.Length);
        Assert.Equal(SpaceEnd, prompt[^1]);     // the end of the line is kept
        Assert.Contains("too long", run.StdErr);
    }

    [Fact]
    public async Task Whole_stdin_is_one_prompt_with_stdin_whole()
    {
        var run = await RunAsync(Tiny([.. Fast, "--json", "--stdin", "whole"]), "Hello\nWorld\n");

        Assert.Equal(0, run.ExitCode);
        var reply = ParseLine(Lines(run.StdOut).Single());
        Assert.Equal([15496, 198, 10603, 198], PromptIds(reply));
    }

    [Fact]
    public async Task Stdout_closed_early_ends_quietly()
    {
        var input = Path.GetTempFileName();
        await File.WriteAllLinesAsync(input, Enumerable.Repeat("Hello there", 40));
        var dll = Path.Combine(AppContext.BaseDirectory, "gptchat.dll");
        var start = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("dotnet \"$0\" --model \"$1\" --num-beams 1 --max-new-tokens 5 < \"$2\" | head -1; echo \"status=${PIPESTATUS[0]}\"");
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add(TestPaths.TinyModel);
        start.ArgumentList.Add(input);
        start.Environment["NO_COLOR"] = "1";

        using var process = Process.Start(start)!;
        var stdout = await process.StandardOutput.ReadToEndAsync();
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        File.Delete(input);

        var lines = Lines(stdout);
        Assert.Equal(2, lines.Length);            // head's one line, then the status
        Assert.Equal("status=0", lines[1]);
        Assert.Equal("", stderr);
    }

    private static int SpaceEnd => GptChat.Tokenization.Gpt2Tokenizer.Load().Encode(" end").Single();

    private static int CountOf(string text, string part)
    {
        var count = 0;
        for (var i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + 1, StringComparison.Ordinal))
            count++;
        return count;
    }
}

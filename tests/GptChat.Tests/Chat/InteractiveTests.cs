using System.Text.RegularExpressions;
using static GptChat.Tests.Chat.ChatRuns;

namespace GptChat.Tests.Chat;

/// <summary>The interactive mode, driven through a real pseudo-terminal.</summary>
public class InteractiveTests : IDisposable
{
    private const string Prompt = "you> ";
    private readonly string _state = Path.Combine(Path.GetTempPath(), "gptchat-pty-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_state))
            Directory.Delete(_state, recursive: true);
    }

    [Fact]
    public async Task Streams_replies_takes_set_commands_survives_ctrl_c_and_ends_on_the_stop_phrase()
    {
        var oneShot = await RunAsync(Tiny("-p", "Hello, my name is", "--num-beams", "1", "--max-new-tokens", "12"));
        var whole = await RunAsync(Tiny("-p", "Once upon a time", "--num-beams", "1", "--max-new-tokens", "240", "--min-new-tokens", "240"));
        // 20 ms per step: the long reply below takes seconds on any machine, so Ctrl+C lands in its middle.
        using var chat = new PtySession(_state, Tiny("--no-history", "--step-delay-ms", "20"));

        chat.WaitFor("tiny-gpt2.*beams 5");                 // the banner names model and settings
        chat.WaitFor(Prompt);
        chat.Type("/set num-beams 1\r");
        chat.WaitFor("settings: .*greedy");
        chat.WaitFor(Prompt);
        chat.Type("/set max-new-tokens 12\r");
        chat.WaitFor("settings: max_new_tokens 12");
        chat.WaitFor(Prompt);

        chat.Type("Hello, my name is\r");
        var reply = chat.WaitFor(@"bot> (.*)\r\n");
        Assert.Equal(oneShot.StdOut.TrimEnd('\n'), reply.Groups[1].Value);
        chat.WaitFor(Prompt);

        // A long reply (EOS banned), cut by Ctrl+C once its first words are on screen: what was shown stays,
        // and it is a proper beginning of the whole reply.
        chat.Type("/set max-new-tokens 240\r");
        chat.WaitFor(Prompt);
        chat.Type("/set min-new-tokens 240\r");
        chat.WaitFor(Prompt);
        chat.Type("Once upon a time\r");
        var first = chat.WaitFor(@"bot> (\S)");
        chat.Type("\u0003");
        var rest = chat.WaitFor(@"([\s\S]*?) \[cut\]\r\n");
        var shown = (first.Groups[1].Value + rest.Groups[1].Value).Replace("\r\n", "\n");
        Assert.StartsWith(shown, whole.StdOut);
        Assert.True(shown.Length < whole.StdOut.TrimEnd('\n').Length, $"the reply was not cut: {shown}");
        chat.WaitFor(Prompt);

        // Still running: it answers a command, then the full-width stop phrase ends it with 0.
        chat.Type("/show\r");
        var show = chat.WaitFor(@"(gptchat · [\s\S]*?)history: ").Groups[1].Value;
        Assert.Contains("greedy", show);             // the settings as they are now...
        Assert.DoesNotContain("beams 5", show);      // ...not as the banner had them
        chat.WaitFor(Prompt);
        chat.Type("好的，谢谢！\r");
        Assert.Equal(0, chat.WaitForExit());
    }

    [Fact]
    public void Ctrl_c_at_the_prompt_explains_and_a_second_within_2_s_exits_130()
    {
        using var chat = new PtySession(_state, Tiny("--no-history"));
        chat.WaitFor(Prompt);
        chat.Type("\u0003");
        chat.WaitFor("Ctrl\\+C again");
        chat.Type("\u0003");
        Assert.Equal(130, chat.WaitForExit());
    }

    [Fact]
    public void Ctrl_d_on_an_empty_line_ends_with_0()
    {
        using var chat = new PtySession(_state, Tiny("--no-history"));
        chat.WaitFor(Prompt);
        chat.Type("\u0004");
        Assert.Equal(0, chat.WaitForExit());
    }

    [Fact]
    public void Lines_go_to_the_history_file_and_up_arrow_recalls_them()
    {
        using (var chat = new PtySession(_state, Tiny()))
        {
            chat.WaitFor(Prompt);
            chat.Type("/stats\r");
            chat.WaitFor("no reply yet");
            chat.WaitFor(Prompt);
            chat.Type("\u001b[A\r");                          // Up, Enter: the same command again
            chat.WaitFor("no reply yet");
            chat.WaitFor(Prompt);
            chat.Type("/bye\r");
            Assert.Equal(0, chat.WaitForExit());
        }

        var history = File.ReadAllLines(Path.Combine(_state, "gptchat", "history"));
        Assert.Equal(["/stats", "/bye"], history);

        // The next session starts with that history: Up twice finds /stats.
        using var again = new PtySession(_state, Tiny());
        again.WaitFor(Prompt);
        again.Type("\u001b[A\u001b[A\r");
        again.WaitFor("no reply yet");
        again.Type("/bye\r");
        Assert.Equal(0, again.WaitForExit());
    }

    [Fact]
    public void Line_editing_moves_the_cursor_and_edits_in_place()
    {
        using var chat = new PtySession(_state, Tiny("--no-history"));
        chat.WaitFor(Prompt);
        // "/shw", Left, insert "o", End, Backspace twice + "w" → "/show"; Ctrl+A then Ctrl+K clears a line.
        chat.Type("garbage\u0001\u000b");
        chat.Type("/shx\u001b[Do\u001b[F\u007fw\r");
        chat.WaitFor("settings: ");
        chat.Type("/bye\r");
        Assert.Equal(0, chat.WaitForExit());
        Assert.DoesNotMatch(new Regex("unknown command"), chat.Screen);
    }
}

using System.Text.Json;
using static GptChat.Tests.Chat.ChatRuns;

namespace GptChat.Tests.Chat;

/// <summary><c>gptchat --prompt</c>, with and without <c>--json</c>, against the tiny model.</summary>
public class OneShotTests
{
    [Fact]
    public async Task Prints_the_reply_on_stdout_and_exits_0()
    {
        var text = await RunAsync(Tiny("--prompt", "Hello, my name is"));
        var json = await RunAsync(Tiny("--prompt", "Hello, my name is", "--json"));

        Assert.Equal(0, text.ExitCode);
        Assert.Equal("", text.StdErr);
        var reply = ParseLine(Lines(json.StdOut).Single()).GetProperty("sequences")[0].GetProperty("text").GetString()!;
        Assert.False(string.IsNullOrWhiteSpace(reply));
        // The plain output is the same reply, without the space GPT-2 starts it with.
        Assert.Equal(reply.Trim() + "\n", text.StdOut);
    }

    [Fact]
    public async Task Every_returned_sequence_is_printed_numbered_best_first()
    {
        var text = await RunAsync(Tiny("-p", "Hello, my name is", "--num-return-sequences", "3"));
        var json = await RunAsync(Tiny("-p", "Hello, my name is", "--num-return-sequences", "3", "--json"));

        Assert.Equal(0, text.ExitCode);
        var sequences = ParseLine(Lines(json.StdOut).Single()).GetProperty("sequences").EnumerateArray()
            .Select(s => s.GetProperty("text").GetString()!.Trim()).ToArray();
        Assert.Equal(3, sequences.Distinct().Count());
        Assert.Equal(sequences.Select((t, i) => $"{i + 1}: {t}\n"), text.StdOut.Split('\n')[..^1].Select(l => l + "\n"));
    }

    [Fact]
    public async Task Ctrl_c_cuts_the_reply_ends_its_line_and_exits_130()
    {
        string[] args = ["-p", "Once upon a time", "--num-beams", "1", "--max-new-tokens", "240", "--min-new-tokens", "240"];
        var whole = await RunAsync(Tiny(args));
        // 20 ms per step: the reply takes seconds, so the signal lands in its middle on any machine.
        var start = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in (string[])[Path.Combine(AppContext.BaseDirectory, "gptchat.dll"), .. Tiny([.. args, "--step-delay-ms", "20"])])
            start.ArgumentList.Add(a);
        start.Environment["NO_COLOR"] = "1";
        using var app = System.Diagnostics.Process.Start(start)!;
        var stderr = app.StandardError.ReadToEndAsync();

        var first = new char[1];
        Assert.Equal(1, await app.StandardOutput.ReadAsync(first));     // the reply has begun
        using (var kill = System.Diagnostics.Process.Start("bash", ["-c", $"kill -INT {app.Id}"]))   // bash's own kill: no procps needed
            await kill.WaitForExitAsync();
        var shown = first[0] + await app.StandardOutput.ReadToEndAsync();
        await app.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(130, app.ExitCode);
        Assert.Equal("gptchat: interrupted: the reply was cut short\n", await stderr);
        Assert.EndsWith("\n", shown);                                 // the cut line is ended, not left half-written
        Assert.StartsWith(shown.TrimEnd('\n'), whole.StdOut);
        Assert.True(shown.Length < whole.StdOut.Length, $"the reply was not cut: {shown}");
    }

    [Fact]
    public async Task The_short_alias_and_echo_prompt_print_prompt_and_continuation()
    {
        var run = await RunAsync(Tiny("-p", "Hello, my name is", "--echo-prompt", "--num-beams", "1", "--max-new-tokens", "8"));
        var json = await RunAsync(Tiny("-p", "Hello, my name is", "--json", "--num-beams", "1", "--max-new-tokens", "8"));

        Assert.Equal(0, run.ExitCode);
        var continuation = ParseLine(Lines(json.StdOut).Single()).GetProperty("sequences")[0].GetProperty("text").GetString();
        Assert.Equal("Hello, my name is" + continuation + "\n", run.StdOut);
    }

    [Theory]
    [InlineData("g000")]   // beam search, early stopping, repetition penalty
    [InlineData("g141")]   // greedy, a prompt of one newline
    [InlineData("g013")]   // greedy, 20 tokens
    [InlineData("g044")]   // beam search returning 3 sequences
    [InlineData("g404")]   // a Chinese prompt
    [InlineData("g178")]   // beam search with length penalty
    public async Task Json_matches_the_golden_generation(string id)
    {
        var golden = GoldenCase(id);
        var args = new List<string>(Tiny("--prompt", golden.GetProperty("prompt").GetString()!, "--json"));
        foreach (var option in golden.GetProperty("options").EnumerateObject())
        {
            args.Add("--" + option.Name.Replace('_', '-'));
            args.Add(option.Value.ValueKind switch
            {
                JsonValueKind.True => "true",
                JsonValueKind.False => "false",
                _ => option.Value.ToString(),
            });
        }
        // The app's own defaults differ from HF's: spell out what the golden case leaves to HF's defaults.
        foreach (var (name, value) in new[] { ("num_beams", "1"), ("no_repeat_ngram_size", "0"), ("early_stopping", "false") })
            if (!golden.GetProperty("options").TryGetProperty(name, out _))
                args.AddRange(["--" + name.Replace('_', '-'), value]);

        var run = await RunAsync([.. args]);

        Assert.Equal(0, run.ExitCode);
        var reply = ParseLine(Lines(run.StdOut).Single());
        Assert.Equal(golden.GetProperty("prompt_ids").EnumerateArray().Select(i => i.GetInt32()), PromptIds(reply));
        var want = golden.GetProperty("sequences").EnumerateArray()
            .Select(s => s.GetProperty("ids").EnumerateArray().Select(i => i.GetInt32()).ToArray()).ToArray();
        Assert.Equal(want, SequenceIds(reply));
        Assert.Contains(reply.GetProperty("finish_reason").GetString(), new[] { "eos", "length" });
        Assert.True(reply.GetProperty("timings").GetProperty("generated_tokens").GetInt32() > 0);
    }

    [Fact]
    public async Task Max_new_tokens_wins_over_max_length()
    {
        var run = await RunAsync(Tiny("-p", "Once upon a time", "--json", "--num-beams", "1",
            "--max-length", "200", "--max-new-tokens", "3", "--min-new-tokens", "3"));

        Assert.Equal(0, run.ExitCode);
        var reply = ParseLine(Lines(run.StdOut).Single());
        Assert.Equal(3, SequenceIds(reply)[0].Length);
        Assert.Equal("length", reply.GetProperty("finish_reason").GetString());
    }

    [Fact]
    public async Task Sampling_with_a_seed_is_reproducible_and_boolean_flags_take_values()
    {
        string[] args = Tiny("-p", "The weather", "--json", "--do-sample", "true", "--num-beams", "1", "--seed", "7",
            "--top-k", "20", "--temperature", "0.9", "--max-new-tokens", "12");
        var first = await RunAsync(args);
        var second = await RunAsync(args);
        var greedy = await RunAsync(Tiny("-p", "The weather", "--json", "--do-sample", "false", "--num-beams", "1", "--max-new-tokens", "12"));

        Assert.Equal(0, first.ExitCode);
        Assert.Equal(0, greedy.ExitCode);
        Assert.Equal(SequenceIds(ParseLine(first.StdOut)), SequenceIds(ParseLine(second.StdOut)));
    }

    [Fact]
    public async Task Stats_go_to_stderr()
    {
        var run = await RunAsync(Tiny("-p", "Hello", "--stats", "--max-new-tokens", "5"));

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("first token", run.StdErr);
        Assert.Contains("tokens/s", run.StdErr);
        Assert.DoesNotContain("tokens/s", run.StdOut);
    }

    [Fact]
    public async Task A_prompt_longer_than_the_context_is_left_truncated_with_a_warning()
    {
        var prompt = string.Concat(Enumerable.Repeat("word ", 400)) + "end";
        var run = await RunAsync(Tiny("-p", prompt, "--json", "--num-beams", "1", "--max-new-tokens", "10"));

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("too long", run.StdErr);
        var reply = ParseLine(Lines(run.StdOut).Single());
        var promptIds = PromptIds(reply);
        Assert.Equal(256 - 10, promptIds.Length);           // the tiny model's context is 256
        Assert.Equal(GptChat.Tokenization.Gpt2Tokenizer.Load().Encode(" end").Single(), promptIds[^1]);
    }

    internal static JsonElement GoldenCase(string id)
    {
        var path = Path.Combine(TestPaths.RepoRoot, "tests", "GptChat.Core.Tests", "Fixtures", "generation-public.jsonl");
        return File.ReadLines(path).Where(l => l.Length > 0).Select(l => JsonDocument.Parse(l).RootElement)
            .Single(c => c.GetProperty("id").GetString() == id);
    }
}

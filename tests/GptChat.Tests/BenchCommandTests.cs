using System.Text.Json;
using GptChat.Benchmarking;
using GptChat.Generation;
using GptChat.Modeling;

namespace GptChat.Tests;

/// <summary><c>gptchat bench</c> as a user runs it, on the tiny model.</summary>
public sealed class BenchCommandTests
{
    private static readonly string[] RequiredFields =
        ["peer", "workload", "load_ms", "prefill_ms", "step_ms_median", "step_ms_min", "tokens_per_s", "peak_rss_mb", "threads", "out_ids_md5"];

    [Fact]
    public async Task Json_emits_one_line_per_workload_with_the_required_fields_and_the_workloads_real_output()
    {
        var run = await GptChatProcess.RunAsync(
            ["bench", "--model", TestPaths.TinyModel, "--json", "--reps", "1", "--threads", "1"], timeout: TimeSpan.FromMinutes(3));

        Assert.True(run.ExitCode == 0, run.StdErr);
        var lines = run.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(2, lines.Length);
        var workloads = new[] { BenchWorkload.Greedy, BenchWorkload.Beam5 };
        for (int i = 0; i < 2; i++)
        {
            using var doc = JsonDocument.Parse(lines[i]);
            var json = doc.RootElement;
            foreach (string field in RequiredFields)
                Assert.True(json.TryGetProperty(field, out _), $"missing {field} in {lines[i]}");
            Assert.Equal("gptchat", json.GetProperty("peer").GetString());
            Assert.Equal(workloads[i].Name, json.GetProperty("workload").GetString());
            Assert.Equal(1, json.GetProperty("threads").GetInt32());
            foreach (string positive in new[] { "load_ms", "prefill_ms", "step_ms_median", "step_ms_min", "tokens_per_s", "peak_rss_mb", "model_step_ms_median" })
                Assert.True(json.GetProperty(positive).GetDouble() > 0, $"{positive} should be > 0 in {lines[i]}");
            Assert.True(json.GetProperty("step_ms_min").GetDouble() <= json.GetProperty("step_ms_median").GetDouble());
            // 40 new tokens = the prefill's token + 39 decode steps, for greedy and beam search alike.
            Assert.Equal(BenchWorkload.NewTokens, json.GetProperty("new_tokens").GetInt32());
            Assert.Equal(BenchWorkload.NewTokens - 1, json.GetProperty("decode_steps").GetInt32());

            // The ids are what the workload really generates (run here independently) and carry the peers' fingerprint.
            var ids = json.GetProperty("out_ids").EnumerateArray().Select(e => e.GetInt32()).ToArray();
            Assert.Equal(ExpectedIds(workloads[i]), ids);
            Assert.Equal(TokenIdsHash.Md5Prefix(ids), json.GetProperty("out_ids_md5").GetString());
        }
    }

    [Fact]
    public async Task Text_output_names_each_figure()
    {
        var run = await GptChatProcess.RunAsync(
            ["bench", "--model", TestPaths.TinyModel, "--workload", "greedy", "--reps", "1", "--threads", "1"], timeout: TimeSpan.FromMinutes(2));

        Assert.True(run.ExitCode == 0, run.StdErr);
        foreach (string label in new[] { "greedy", "load", "prefill", "decode step", "tokens/s", "peak RSS" })
            Assert.Contains(label, run.StdOut);
        Assert.DoesNotContain("beam5", run.StdOut);
    }

    [Theory]
    [InlineData("--reps", "0", "--reps must be at least 1")]
    [InlineData("--threads", "0", "--threads must be at least 1")]
    public async Task Bad_numbers_are_one_line_usage_errors(string option, string value, string message)
    {
        var run = await GptChatProcess.RunAsync(["bench", "--model", TestPaths.TinyModel, option, value]);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("gptchat: " + message, run.StdErr.Trim());
        Assert.Equal("", run.StdOut);
    }

    [Fact]
    public async Task A_missing_model_folder_is_a_one_line_error()
    {
        string missing = Path.Combine(Path.GetTempPath(), "no-such-model-" + Guid.NewGuid().ToString("N"));
        var run = await GptChatProcess.RunAsync(["bench", "--model", missing]);

        Assert.Equal(1, run.ExitCode);   // a runtime error, as in the chat (README: exit codes)
        Assert.Equal($"gptchat: model folder not found: {missing}", run.StdErr.Trim());
    }

    private static int[] ExpectedIds(BenchWorkload workload)
    {
        using var model = OnnxCausalLM.Open(TestPaths.TinyModel, new ModelOpenOptions { IntraOpThreads = 1 });
        var result = Generator.Generate(model, BenchWorkload.PromptIds, workload.Options);
        return result.Sequences[0].Ids.ToArray();
    }
}

using System.Text.Json;
using GptChat.Testing.Hub;

namespace GptChat.Tests.Hub;

/// <summary>The built gptchat as a process, with HF_ENDPOINT pointing at the fake Hub running in this test process.</summary>
public sealed class HubProcessTests : IDisposable
{
    private readonly FakeHub _hub = new();
    private readonly TempFolder _home = new();

    public HubProcessTests() => _hub.AddTinyGpt2("models/tiny-gpt2", TestPaths.TinyModel);

    public void Dispose()
    {
        _hub.Dispose();
        _home.Dispose();
    }

    private Dictionary<string, string?> Environment => new()
    {
        ["HF_ENDPOINT"] = _hub.Endpoint,
        ["HF_HOME"] = _home.Path,
        ["HF_HUB_CACHE"] = Path.Combine(_home.Path, "hub"),
        ["HF_TOKEN"] = null,
        ["HUGGING_FACE_HUB_TOKEN"] = null,
        ["HF_HUB_OFFLINE"] = null,
    };

    [Fact]
    public async Task Download_then_models_then_offline_download()
    {
        var download = await GptChatProcess.RunAsync(["download", "models/tiny-gpt2"], environment: Environment);

        Assert.Equal(0, download.ExitCode);
        var folder = download.StdOut.Trim();
        Assert.StartsWith(Path.Combine(_home.Path, "hub", "models--models--tiny-gpt2", "snapshots"), folder);
        Assert.Equal(File.ReadAllBytes(Path.Combine(TestPaths.TinyModel, "onnx", "decoder_model_merged.onnx")),
                     File.ReadAllBytes(Path.Combine(folder, "onnx", "decoder_model_merged.onnx")));
        Assert.Contains("gptchat: downloaded onnx/decoder_model_merged.onnx", download.StdErr);

        var models = await GptChatProcess.RunAsync(["models"], environment: Environment);
        Assert.Equal(0, models.ExitCode);
        Assert.StartsWith("models/tiny-gpt2", models.StdOut);

        var requests = _hub.Requests.Count;
        var offline = await GptChatProcess.RunAsync(["download", "models/tiny-gpt2", "--offline"], environment: Environment);
        Assert.Equal(0, offline.ExitCode);
        Assert.Equal(folder, offline.StdOut.Trim());
        Assert.Equal(requests, _hub.Requests.Count);
    }

    [Fact]
    public async Task Two_processes_downloading_the_same_model_at_once_fetch_each_file_once()
    {
        var runs = await Task.WhenAll(
            GptChatProcess.RunAsync(["download", "models/tiny-gpt2", "--quiet"], environment: Environment),
            GptChatProcess.RunAsync(["download", "models/tiny-gpt2", "--quiet"], environment: Environment));

        Assert.All(runs, r => Assert.Equal(0, r.ExitCode));
        Assert.Equal(runs[0].StdOut, runs[1].StdOut);
        var merged = Path.Combine(TestPaths.TinyModel, "onnx", "decoder_model_merged.onnx");
        Assert.Single(_hub.Requests, r => r.Target.StartsWith("/cdn/", StringComparison.Ordinal));
        Assert.Equal(File.ReadAllBytes(merged), File.ReadAllBytes(Path.Combine(runs[0].StdOut.Trim(), "onnx", "decoder_model_merged.onnx")));
        Assert.Empty(Directory.GetFiles(Path.Combine(_home.Path, "hub"), "*.incomplete", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Chat_downloads_a_hub_model_on_first_use_then_runs_offline_from_the_cache()
    {
        string[] reply = ["--prompt", "The meaning of life is", "--max-new-tokens", "8", "--json"];
        var local = await GptChatProcess.RunAsync(["--model", TestPaths.TinyModel, "--onnx-file", "onnx/decoder_model_merged.onnx", .. reply]);
        Assert.Equal(0, local.ExitCode);

        var fromHub = await GptChatProcess.RunAsync(["--model", "models/tiny-gpt2", .. reply], environment: Environment);

        Assert.Equal(0, fromHub.ExitCode);
        Assert.Contains("gptchat: downloaded onnx/decoder_model_merged.onnx", fromHub.StdErr);
        Assert.Equal(Sequences(local.StdOut), Sequences(fromHub.StdOut));
        Assert.NotEmpty(Sequences(fromHub.StdOut));

        _hub.Dispose();
        var offline = await GptChatProcess.RunAsync(["--model", "models/tiny-gpt2", "--offline", .. reply], environment: Environment);

        Assert.Equal(0, offline.ExitCode);
        Assert.DoesNotContain("downloading", offline.StdErr);
        Assert.Equal(Sequences(local.StdOut), Sequences(offline.StdOut));
    }

    [Fact]
    public async Task Chat_offline_with_a_cold_cache_fails_in_one_line()
    {
        var run = await GptChatProcess.RunAsync(["--model", "models/tiny-gpt2", "--prompt", "hi"],
                                                environment: new Dictionary<string, string?>(Environment) { ["HF_HUB_OFFLINE"] = "1" });

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("", run.StdOut);
        Assert.Single(run.StdErr.TrimEnd().Split('\n'));
        Assert.Contains("models/tiny-gpt2 (revision main) is not in the cache", run.StdErr);
        Assert.Empty(_hub.Requests);
    }

    // The token ids of each returned sequence, from the --json reply.
    private static List<string> Sequences(string json) =>
        JsonDocument.Parse(json).RootElement.GetProperty("sequences").EnumerateArray().Select(s => s.GetProperty("ids").GetRawText()).ToList();
}

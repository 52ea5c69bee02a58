using GptChat.Hub;
using GptChat.Modeling;
using GptChat.Testing.Hub;

namespace GptChat.Core.Tests.Hub;

/// <summary>A model fetched through the fake Hub runs, and gives the same logits as the committed folder.</summary>
public sealed class DownloadedModelRunsTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("fp32")]
    public async Task The_downloaded_snapshot_opens_and_matches_the_local_model(string? variant)
    {
        using var hub = new FakeHub();
        using var cache = new TempFolder();
        hub.AddTinyGpt2("models/tiny-gpt2", TestPaths.TinyModel);

        var resolved = await ModelLocator.ResolveAsync("models/tiny-gpt2",
            new HubSettings { Endpoint = hub.Endpoint, CacheDir = cache.Path, Variant = variant });
        using var downloaded = OnnxCausalLM.Open(resolved.Folder, new ModelOpenOptions { OnnxFile = resolved.OnnxFile, IntraOpThreads = 1 });
        using var local = OnnxCausalLM.Open(TestPaths.TinyModel, new ModelOpenOptions { OnnxFile = "onnx/decoder_model_merged.onnx", IntraOpThreads = 1 });

        int[] prompt = [464, 3616, 286, 1204, 318]; // "The meaning of life is"
        var fromHub = downloaded.Prefill(prompt).ToArray();
        var fromFolder = local.Prefill(prompt).ToArray();

        Assert.Equal(50257, fromHub.Length);
        Assert.Equal(fromFolder, fromHub);
        Assert.Equal(Path.Combine(resolved.Folder, "onnx", "decoder_model_merged.onnx"), downloaded.OnnxPath);
    }
}

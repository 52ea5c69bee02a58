using GptChat.Modeling;

namespace GptChat.Core.Tests.Modeling;

/// <summary>
/// The tiny GPT-2 opened once in each ONNX layout (merged, single, split pair, no-past), plus a separate
/// no-past instance used as ground truth: recomputing a whole sequence at batch 1 involves no cache at all.
/// </summary>
public sealed class TinyModelLayouts : IDisposable
{
    private readonly TempModelFolder _splitFolder;
    private readonly Dictionary<string, OnnxCausalLM> _models = [];

    public TinyModelLayouts()
    {
        _splitFolder = TempModelFolder.WithOnnx("onnx/decoder_model.onnx", "onnx/decoder_with_past_model.onnx");
        var options = new ModelOpenOptions { IntraOpThreads = 1 };
        _models["merged"] = OnnxCausalLM.Open(TestPaths.TinyModel, options with { OnnxFile = "onnx/decoder_model_merged.onnx" });
        _models["single"] = OnnxCausalLM.Open(TestPaths.TinyModel, options with { OnnxFile = "onnx/model.onnx" });
        _models["split"] = OnnxCausalLM.Open(_splitFolder.Path, options);
        _models["no-past"] = OnnxCausalLM.Open(TestPaths.TinyModel, options with { OnnxFile = "onnx/decoder_model.onnx" });
        Reference = OnnxCausalLM.Open(TestPaths.TinyModel, options with { OnnxFile = "onnx/decoder_model.onnx" });
    }

    public static IReadOnlyList<string> LayoutNames { get; } = ["merged", "single", "split", "no-past"];

    public static TheoryData<string> Names => new(LayoutNames);

    internal OnnxCausalLM this[string name] => _models[name];

    /// <summary>Batch-1 full recompute, never used with Decode: the expected logits of any row.</summary>
    internal OnnxCausalLM Reference { get; }

    /// <summary>The last-position logits of <paramref name="sequence"/> computed from scratch.</summary>
    internal float[] ExpectedLogits(IReadOnlyList<int> sequence) => Reference.Prefill(sequence.ToArray()).ToArray();

    public void Dispose()
    {
        foreach (var model in _models.Values)
            model.Dispose();
        Reference.Dispose();
        _splitFolder.Dispose();
    }
}

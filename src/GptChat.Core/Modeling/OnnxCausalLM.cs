using GptChat.Generation;

namespace GptChat.Modeling;

/// <summary>GPT-2 in ONNX Runtime with a KV cache, for every Hub layout.</summary>
internal sealed class OnnxCausalLM : ICausalLM
{
    public static OnnxCausalLM Open(string modelFolder, ModelOpenOptions options) => throw new NotImplementedException();

    public ModelConfig Config => throw new NotImplementedException();
    /// <summary>A short name of the layout in use (e.g. "merged", "single", "split", "no-past"), for banners.</summary>
    public string LayoutName => throw new NotImplementedException();
    /// <summary>The ONNX file in use (absolute).</summary>
    public string OnnxPath => throw new NotImplementedException();

    public int VocabSize => throw new NotImplementedException();
    public int ContextLength => throw new NotImplementedException();
    public ReadOnlySpan<float> Prefill(ReadOnlySpan<int> promptIds, CancellationToken cancellationToken = default) => throw new NotImplementedException();
    public ReadOnlySpan<float> Decode(ReadOnlySpan<int> tokens, ReadOnlySpan<int> parents, CancellationToken cancellationToken = default) => throw new NotImplementedException();
    public void Dispose() { }
}

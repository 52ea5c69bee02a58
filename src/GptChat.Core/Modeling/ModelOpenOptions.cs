namespace GptChat.Modeling;

/// <summary>How to open a model folder.</summary>
public sealed record ModelOpenOptions
{
    /// <summary>One ONNX file, relative to the model folder (e.g. onnx/model_quantized.onnx); null = detect the layout.</summary>
    public string? OnnxFile { get; init; }

    /// <summary>ONNX Runtime intra-op threads; null = physical cores.</summary>
    public int? IntraOpThreads { get; init; }
}

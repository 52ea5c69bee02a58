namespace GptChat.Hub;

/// <summary>Where to look for models on the Hugging Face Hub and in its cache.</summary>
public sealed record HubSettings
{
    public string Revision { get; init; } = "main";
    /// <summary>Which ONNX file among a repo's (null = merged fp32; "quantized", "fp16", …).</summary>
    public string? Variant { get; init; }
    public bool Offline { get; init; }
    public string? CacheDir { get; init; }
}

/// <summary>Progress of downloads, for the host to render.</summary>
public interface IDownloadProgress
{
    void Started(string file, long? totalBytes);
    void Advanced(string file, long bytesSoFar);
    void Finished(string file);
}

/// <summary>Turns the <c>--model</c> argument (a folder or a Hub id) into a local model folder.</summary>
public static class ModelLocator
{
    /// <summary>A folder is used as it is; a Hub id is found in the cache or downloaded (see the Hub work).</summary>
    public static Task<ResolvedModel> ResolveAsync(string model, HubSettings settings, IDownloadProgress? progress = null, CancellationToken cancellationToken = default)
    {
        if (Directory.Exists(model))
            return Task.FromResult(new ResolvedModel(Path.GetFullPath(model), null));
        throw new GptChatException($"model folder not found: {model} (give a folder holding config.json and onnx/, e.g. models/tiny-gpt2)");
    }
}

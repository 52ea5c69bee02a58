using System.Text;

namespace GptChat.Hub;

/// <summary>Where to look for models on the Hugging Face Hub and in its cache.</summary>
public sealed record HubSettings
{
    public const string DefaultEndpoint = "https://huggingface.co";

    /// <summary>A branch, tag or commit hash.</summary>
    public string Revision { get; init; } = "main";

    /// <summary>Which ONNX file among a repo's (null or "fp32" = plain float32; "quantized", "fp16", …).</summary>
    public string? Variant { get; init; }

    /// <summary>Use only the local cache; never touch the network.</summary>
    public bool Offline { get; init; }

    /// <summary>The Hub cache folder; null = the Hugging Face default (see <see cref="HubEnvironment.DefaultCacheDir"/>).</summary>
    public string? CacheDir { get; init; }

    /// <summary>Base URL of the Hub (HF_ENDPOINT), without a trailing slash.</summary>
    public string Endpoint { get; init; } = DefaultEndpoint;

    /// <summary>Access token for gated or private repos (HF_TOKEN). Never printed: see <see cref="PrintMembers"/>.</summary>
    public string? Token { get; init; }

    /// <summary>
    /// True: a revision whose snapshot in the cache already holds a whole model is used without asking the Hub
    /// (fast start, works like a Python user's warm cache). False: ask the Hub what the revision points at now.
    /// </summary>
    public bool PreferCache { get; init; } = true;

    /// <summary>A download with no bytes arriving for this long counts as cut (and is resumed or reported).</summary>
    public TimeSpan StallTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How many times one file is tried (each retry resumes where the last one stopped).</summary>
    public int MaxAttempts { get; init; } = 5;

    // Records print every property by default; the token must never reach a log or an error line.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append($"Revision = {Revision}, Variant = {Variant}, Offline = {Offline}, CacheDir = {CacheDir}, ");
        builder.Append($"Endpoint = {Endpoint}, Token = {(Token is null ? "(none)" : "(set)")}, PreferCache = {PreferCache}, ");
        builder.Append($"StallTimeout = {StallTimeout}, MaxAttempts = {MaxAttempts}");
        return true;
    }
}

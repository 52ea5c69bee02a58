namespace GptChat.Hub;

/// <summary>
/// The environment variables huggingface_hub reads, read the same way, so a Python user's setup
/// (cache, endpoint, token, offline switch) applies here unchanged.
/// </summary>
public static class HubEnvironment
{
    /// <summary>Settings from HF_ENDPOINT, HF_TOKEN (or the token file), HF_HUB_OFFLINE and the cache variables.</summary>
    public static HubSettings Read(Func<string, string?> getVariable)
    {
        var endpoint = NonEmpty(getVariable("HF_ENDPOINT"))?.TrimEnd('/') ?? HubSettings.DefaultEndpoint;
        return new HubSettings
        {
            Endpoint = endpoint,
            Token = ReadToken(getVariable),
            Offline = IsTrue(getVariable("HF_HUB_OFFLINE")),
            CacheDir = DefaultCacheDir(getVariable),
        };
    }

    /// <summary>$HF_HUB_CACHE, else $HF_HOME/hub, else ~/.cache/huggingface/hub (as huggingface_hub's constants.py).</summary>
    public static string DefaultCacheDir(Func<string, string?> getVariable)
    {
        var explicitCache = NonEmpty(getVariable("HF_HUB_CACHE")) ?? NonEmpty(getVariable("HUGGINGFACE_HUB_CACHE"));
        return explicitCache is not null ? ExpandHome(explicitCache) : Path.Combine(HfHome(getVariable), "hub");
    }

    /// <summary>huggingface_hub's truthy spellings: 1, ON, YES, TRUE (any case).</summary>
    public static bool IsTrue(string? value) =>
        value is not null && value.Trim().ToUpperInvariant() is "1" or "ON" or "YES" or "TRUE";

    private static string HfHome(Func<string, string?> getVariable)
    {
        var home = NonEmpty(getVariable("HF_HOME"));
        if (home is not null)
            return ExpandHome(home);
        var xdg = NonEmpty(getVariable("XDG_CACHE_HOME"));
        return Path.Combine(xdg is not null ? ExpandHome(xdg) : Path.Combine(UserHome(), ".cache"), "huggingface");
    }

    // HF_TOKEN wins; otherwise the file `huggingface-cli login` writes, so logged-in Python users need nothing more.
    private static string? ReadToken(Func<string, string?> getVariable)
    {
        var token = NonEmpty(getVariable("HF_TOKEN")) ?? NonEmpty(getVariable("HUGGING_FACE_HUB_TOKEN"));
        if (token is not null)
            return token.Trim();
        var tokenPath = NonEmpty(getVariable("HF_TOKEN_PATH")) is { } p ? ExpandHome(p) : Path.Combine(HfHome(getVariable), "token");
        try
        {
            return File.Exists(tokenPath) ? NonEmpty(File.ReadAllText(tokenPath).Trim()) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    private static string ExpandHome(string path) =>
        path == "~" ? UserHome()
        : path.StartsWith("~/", StringComparison.Ordinal) ? Path.Combine(UserHome(), path[2..])
        : path;

    private static string UserHome() => Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
}

using System.Text.RegularExpressions;

namespace GptChat.Hub;

/// <summary>A Hub model repo id ("org/name"), checked like huggingface_hub's validate_repo_id so it is safe in URLs and cache paths.</summary>
internal sealed partial record RepoId
{
    // Canonical ids of the GPT-2 family's old short names (the Hub redirects these; the cache uses the canonical id).
    private static readonly Dictionary<string, string> Aliases = new(StringComparer.Ordinal)
    {
        ["gpt2"] = "openai-community/gpt2",
        ["gpt2-medium"] = "openai-community/gpt2-medium",
        ["gpt2-large"] = "openai-community/gpt2-large",
        ["gpt2-xl"] = "openai-community/gpt2-xl",
        ["distilgpt2"] = "distilbert/distilgpt2",
    };

    private RepoId(string value) => Value = value;

    /// <summary>"org/name" (or a bare legacy name).</summary>
    public string Value { get; }

    /// <summary>The repo's folder in the Hub cache: models--org--name.</summary>
    public string CacheFolderName => "models--" + Value.Replace("/", "--", StringComparison.Ordinal);

    public override string ToString() => Value;

    public static bool TryParse(string text, out RepoId repo)
    {
        repo = null!;
        var value = Aliases.GetValueOrDefault(text, text);
        if (value.Length is 0 or > 96 || !IdPattern().IsMatch(value)
            || value.Contains("--", StringComparison.Ordinal) || value.Contains("..", StringComparison.Ordinal)
            || value.EndsWith(".git", StringComparison.Ordinal))
            return false;
        repo = new RepoId(value);
        return true;
    }

    /// <summary>The inverse of <see cref="CacheFolderName"/>, for listing the cache; null for folders that are not model repos.</summary>
    public static RepoId? FromCacheFolderName(string folderName)
    {
        if (!folderName.StartsWith("models--", StringComparison.Ordinal))
            return null;
        var parts = folderName["models--".Length..].Split("--");
        return parts.Length is 1 or 2 && TryParse(string.Join('/', parts), out var repo) ? repo : null;
    }

    // Each part: letters, digits, '-', '_', '.', not starting or ending with '-' or '.'.
    [GeneratedRegex(@"^(?:[A-Za-z0-9_](?:[A-Za-z0-9_.\-]*[A-Za-z0-9_])?/)?[A-Za-z0-9_](?:[A-Za-z0-9_.\-]*[A-Za-z0-9_])?$")]
    private static partial Regex IdPattern();
}

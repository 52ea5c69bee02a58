using System.Text.RegularExpressions;

namespace GptChat.Hub;

/// <summary>
/// Checks on names that come from the network (file paths, revisions, commit hashes, blob names) before they become
/// parts of cache paths: a hostile or broken server must not make us write outside the cache.
/// </summary>
internal static partial class RepoPath
{
    /// <summary>A relative path with '/' separators, no empty, "." or ".." parts, no backslash, colon or control characters.</summary>
    public static bool IsSafeRelative(string path)
    {
        if (path.Length is 0 or > 1000 || path[0] == '/' || path.Any(c => c is '\\' or ':' || char.IsControl(c)))
            return false;
        return path.Split('/').All(part => part.Length > 0 && part is not "." and not "..");
    }

    /// <summary>A branch, tag or commit name usable as refs/&lt;revision&gt; (may contain '/', e.g. refs/pr/1).</summary>
    public static bool IsSafeRevision(string revision) =>
        revision.Length <= 200 && IsSafeRelative(revision) && RevisionPattern().IsMatch(revision);

    /// <summary>A 40-hex git commit hash, as snapshot folders are named.</summary>
    public static bool IsCommitHash(string text) => CommitPattern().IsMatch(text);

    /// <summary>A blob name (sha256 of an LFS file or git sha1 of a regular one) that is a plain file name.</summary>
    public static bool IsSafeBlobName(string name) => BlobPattern().IsMatch(name);

    /// <summary>
    /// <paramref name="relative"/> under <paramref name="root"/>, after checking that the result stays inside it.
    /// </summary>
    public static string Under(string root, string relative)
    {
        if (!IsSafeRelative(relative))
            throw new GptChatException($"refusing unsafe file path from the Hub: '{relative}'");
        var rootFull = Path.GetFullPath(root);
        var full = Path.GetFullPath(Path.Combine(rootFull, relative.Replace('/', Path.DirectorySeparatorChar)));
        if (!full.StartsWith(rootFull.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw new GptChatException($"refusing file path that leaves the cache: '{relative}'");
        return full;
    }

    [GeneratedRegex(@"^[A-Za-z0-9_.\-/]+$")]
    private static partial Regex RevisionPattern();

    [GeneratedRegex(@"^[0-9a-f]{40}$")]
    private static partial Regex CommitPattern();

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9_\-]{0,127}$")]
    private static partial Regex BlobPattern();
}

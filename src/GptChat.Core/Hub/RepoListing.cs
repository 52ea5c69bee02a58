using System.Text.Json;

namespace GptChat.Hub;

/// <summary>One file of a repo as the Hub API lists it (GET /api/models/{repo}/revision/{rev}?blobs=true).</summary>
/// <param name="Sha256">For LFS files: the content's sha256, which is also the Hub's ETag and the cache's blob name.</param>
/// <param name="BlobId">The git blob sha1: the ETag and blob name of a regular (non-LFS) file.</param>
internal sealed record RepoFile(string Path, long? Size, string? BlobId, string? Sha256)
{
    /// <summary>The name of the file's blob in the cache (the Hub's ETag without quotes), when the API told it.</summary>
    public string? BlobName => Sha256 ?? BlobId;
}

/// <summary>A repo at one commit: what the Hub API answers.</summary>
internal sealed record RepoListing(string Commit, IReadOnlyList<RepoFile> Files)
{
    /// <summary>Parses the API JSON: {"sha": commit, "siblings": [{"rfilename", "size"?, "blobId"?, "lfs"?: {"sha256", "size"}}]}.</summary>
    public static RepoListing Parse(string json, RepoId repo)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            var root = doc.RootElement;
            var commit = root.TryGetProperty("sha", out var sha) && sha.ValueKind == JsonValueKind.String ? sha.GetString()! : "";
            if (!RepoPath.IsCommitHash(commit))
                throw new GptChatException($"the Hub's answer for {repo} has no valid commit hash ('sha'); is HF_ENDPOINT a Hugging Face Hub?");
            var files = new List<RepoFile>();
            if (root.TryGetProperty("siblings", out var siblings) && siblings.ValueKind == JsonValueKind.Array)
                foreach (var s in siblings.EnumerateArray())
                {
                    if (!s.TryGetProperty("rfilename", out var name) || name.ValueKind != JsonValueKind.String)
                        continue;
                    long? size = s.TryGetProperty("size", out var sz) && sz.ValueKind == JsonValueKind.Number ? sz.GetInt64() : null;
                    string? blobId = s.TryGetProperty("blobId", out var b) && b.ValueKind == JsonValueKind.String ? b.GetString() : null;
                    string? sha256 = null;
                    if (s.TryGetProperty("lfs", out var lfs) && lfs.ValueKind == JsonValueKind.Object)
                    {
                        sha256 = lfs.TryGetProperty("sha256", out var h) && h.ValueKind == JsonValueKind.String ? h.GetString() : null;
                        if (lfs.TryGetProperty("size", out var ls) && ls.ValueKind == JsonValueKind.Number)
                            size = ls.GetInt64();
                    }
                    files.Add(new RepoFile(name.GetString()!, size, blobId, sha256));
                }
            return new RepoListing(commit, files);
        }
        catch (JsonException)
        {
            throw new GptChatException($"the Hub's answer for {repo} is not valid JSON; is HF_ENDPOINT a Hugging Face Hub?");
        }
    }
}

namespace GptChat.Hub;

/// <summary>
/// Turns the <c>--model</c> argument into a model on local disk, like transformers' from_pretrained: a folder is used as it
/// is; a Hub id (gpt2, Xenova/gpt2, org/name) is found in the Hugging Face cache or downloaded into it.
/// </summary>
public static class ModelLocator
{
    /// <summary>A folder, or a Hub id found in the cache or downloaded (unless offline); the ONNX file is chosen by --variant.</summary>
    public static async Task<ResolvedModel> ResolveAsync(string model, HubSettings settings, IDownloadProgress? progress = null,
                                                         CancellationToken cancellationToken = default)
    {
        if (Directory.Exists(model))
            return LocalFolder(Path.GetFullPath(model), settings.Variant);
        if (File.Exists(model))
            throw new GptChatException(NotAFolder(model), exitCode: 2);
        if (LooksLikePath(model))
            throw new GptChatException($"model folder not found: {model} (give a folder holding config.json and onnx/, or a Hub id such as gpt2 or Xenova/gpt2)");
        if (!RepoId.TryParse(model, out var repo))
            throw new GptChatException($"'{model}' is neither a folder nor a valid Hub model id (such as gpt2, Xenova/gpt2 or org/name)", exitCode: 2);
        if (!RepoPath.IsSafeRevision(settings.Revision))
            throw new GptChatException($"invalid --revision '{settings.Revision}': give a branch, tag or commit hash", exitCode: 2);

        var cache = new HubCache(settings.CacheDir ?? HubEnvironment.DefaultCacheDir(Environment.GetEnvironmentVariable));
        if (File.Exists(cache.Root))
            throw new GptChatException($"the Hub cache {cache.Root} is a file, not a folder: give --cache-dir (or HF_HUB_CACHE, HF_HOME) a folder");
        try
        {
            if (settings.Offline || settings.PreferCache)
            {
                var cached = FromCache(cache, repo, settings, out var whyNot);
                if (cached is not null)
                    return cached;
                if (settings.Offline)
                    throw new GptChatException($"{repo} (revision {settings.Revision}) is not in the cache at {cache.Root}{whyNot}: run without --offline (and HF_HUB_OFFLINE unset) to download it, or pass a local model folder");
            }
            return await DownloadAsync(cache, repo, settings, progress, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e) when (DiskErrors.IsDiskFull(e))
        {
            throw new GptChatException($"disk full writing to the Hub cache at {cache.Root}: free some space, or use --cache-dir on another disk");
        }
        catch (UnauthorizedAccessException e)
        {
            throw new GptChatException($"cannot write to the Hub cache at {cache.Root} ({e.Message}): choose a writable folder with --cache-dir or HF_HUB_CACHE");
        }
    }

    /// <summary>A local folder; with --variant, the matching ONNX file in it is named for the runner.</summary>
    private static ResolvedModel LocalFolder(string folder, string? variant) =>
        variant is null
            ? new ResolvedModel(folder, null)
            : new ResolvedModel(folder, ModelFileSelection.ChooseOnnx(HubCache.ListFiles(folder), variant, folder).OnnxFile);

    /// <summary>The revision's snapshot when it already holds config.json and the wanted ONNX file; else null (with why, for offline errors).</summary>
    private static ResolvedModel? FromCache(HubCache cache, RepoId repo, HubSettings settings, out string whyNot)
    {
        whyNot = "";
        var commit = cache.FindCommit(repo, settings.Revision);
        if (commit is null)
            return null;
        var snapshot = cache.SnapshotFolder(repo, commit);
        var files = HubCache.ListFiles(snapshot);
        if (!files.Contains("config.json"))
        {
            whyNot = " (its snapshot has no config.json)";
            return null;
        }
        try
        {
            var onnx = ModelFileSelection.ChooseOnnx(files, settings.Variant, $"the cached snapshot of {repo}");
            return new ResolvedModel(snapshot, onnx.OnnxFile);
        }
        catch (GptChatException e) when (settings.Offline)
        {
            whyNot = $" as wanted ({e.Message})";
            return null;
        }
        catch (GptChatException)
        {
            return null; // online: the Hub may have the variant
        }
    }

    private static async Task<ResolvedModel> DownloadAsync(HubCache cache, RepoId repo, HubSettings settings, IDownloadProgress? progress,
                                                           CancellationToken cancellationToken)
    {
        // Shared, so downloads of one repo still run side by side; models rm takes it exclusively, so it cannot remove the
        // repo between our blobs, or before the snapshot's links and ref are written (blob locks alone cover only one blob).
        using var downloading = await FileLock.AcquireAsync(cache.DownloadsLockPath(repo), shared: true, cancellationToken).ConfigureAwait(false);
        using var client = new HubClient(settings, repo);
        var listing = await client.GetListingAsync(settings.Revision, cancellationToken).ConfigureAwait(false);
        // Names from the network that could not be cache paths are left out; the well-known names we pick never are such.
        var byPath = listing.Files.Where(f => RepoPath.IsSafeRelative(f.Path)).GroupBy(f => f.Path).ToDictionary(g => g.Key, g => g.First());
        var selection = ModelFileSelection.ForDownload(byPath.Keys, settings.Variant, $"{repo} at revision '{settings.Revision}'");
        var downloader = new BlobDownloader(client, settings, progress);
        foreach (var path in selection.Files)
            await FetchFileAsync(cache, client, downloader, repo, listing.Commit, byPath[path], cancellationToken).ConfigureAwait(false);
        cache.WriteRef(repo, settings.Revision, listing.Commit);
        return new ResolvedModel(cache.SnapshotFolder(repo, listing.Commit), selection.OnnxFile);
    }

    /// <summary>One file into blobs/ (unless a blob with its hash is there already) and linked into the snapshot.</summary>
    private static async Task FetchFileAsync(HubCache cache, HubClient client, BlobDownloader downloader, RepoId repo, string commit,
                                             RepoFile file, CancellationToken cancellationToken)
    {
        var (blobName, size) = file.BlobName is { } known
            ? (known, file.Size)
            : await client.ProbeAsync(commit, file.Path, cancellationToken).ConfigureAwait(false);
        var blobPath = cache.BlobPath(repo, blobName);
        if (!File.Exists(blobPath))
        {
            // One downloader per blob across threads and processes (ours and Python's); the loser finds the blob done.
            using var fileLock = await FileLock.AcquireAsync(cache.LockPath(repo, blobName), cancellationToken).ConfigureAwait(false);
            if (!File.Exists(blobPath))
                await downloader.DownloadAsync(commit, file.Path, blobPath, blobName, size, isLfs: file.Sha256 is not null || blobName.Length == 64,
                                               cancellationToken).ConfigureAwait(false);
        }
        cache.LinkIntoSnapshot(repo, commit, file.Path, blobPath);
    }

    // "--model path/to/model.onnx" is a common first try: name the folder and --onnx-file that say the same.
    private static string NotAFolder(string file)
    {
        var full = Path.GetFullPath(file);
        if (full.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase))
        {
            // The Hub layouts put the graph in the model folder or in its onnx/ (which may hold a config.json of its
            // own, as Xenova's repos do): the outer folder with a config.json is the model folder.
            var folder = Path.GetDirectoryName(full)!;
            var parent = Path.GetDirectoryName(folder);
            var modelFolder = parent is not null && File.Exists(Path.Combine(parent, "config.json")) ? parent
                : File.Exists(Path.Combine(folder, "config.json")) ? folder : null;
            if (modelFolder is not null)
                return $"--model takes a model folder, not an ONNX file: use --model {Path.GetRelativePath(".", modelFolder)} --onnx-file {Path.GetRelativePath(modelFolder, full)}";
        }
        return $"{file} is a file, not a model folder (give a folder holding config.json and onnx/, or a Hub id such as gpt2 or Xenova/gpt2)";
    }

    // Something the user meant as a folder (it does not exist): say so instead of asking the Hub. "models/nope" is a
    // folder path when "models" is a local folder: a typo there should not turn into a network error about repo models/nope.
    internal static bool LooksLikePath(string model) =>
        model.StartsWith('/') || model.StartsWith("./", StringComparison.Ordinal) || model.StartsWith("../", StringComparison.Ordinal)
        || model.StartsWith('~') || model.Contains('\\') || model.Count(c => c == '/') > 1 || model is "." or ".."
        || (model.IndexOf('/') is > 0 and var slash && Directory.Exists(model[..slash]));
}

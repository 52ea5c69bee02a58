using System.Security.Cryptography;
using GptChat.Hub;
using GptChat.Testing.Hub;

namespace GptChat.Core.Tests.Hub;

/// <summary>ModelLocator against the loopback fake Hub: downloads, the cache layout, resume, checks and errors.</summary>
public sealed class HubDownloadTests : IDisposable
{
    private const string RepoName = "models/tiny-gpt2";
    private const string Merged = "onnx/decoder_model_merged.onnx";
    private readonly FakeHub _hub = new();
    private readonly TempFolder _cache = new();
    private readonly FakeRepo _repo;

    public HubDownloadTests() => _repo = _hub.AddTinyGpt2(RepoName, TestPaths.TinyModel);

    public void Dispose()
    {
        _hub.Dispose();
        _cache.Dispose();
    }

    private HubSettings Settings => new()
    {
        Endpoint = _hub.Endpoint, CacheDir = _cache.Path, StallTimeout = TimeSpan.FromSeconds(10), MaxAttempts = 3,
    };

    private string RepoFolder => Path.Combine(_cache.Path, "models--models--tiny-gpt2");
    private string Snapshot => Path.Combine(RepoFolder, "snapshots", _repo.Commit);
    private long MergedSize => _repo.Files[Merged].Length;
    private IEnumerable<FakeRequest> CdnRequestsFor(string file) => _hub.Requests.Where(r => r.Target == "/cdn/" + _repo.Sha256(file));

    [Fact]
    public async Task Downloads_the_model_into_the_hugging_face_cache_layout()
    {
        var model = await ModelLocator.ResolveAsync(RepoName, Settings);

        Assert.Equal(Snapshot, model.Folder);
        Assert.Equal(Merged, model.OnnxFile);
        Assert.Equal(["config.json", "generation_config.json", Merged], HubCache.ListFiles(Snapshot));
        foreach (var file in HubCache.ListFiles(Snapshot))
            Assert.Equal(File.ReadAllBytes(Path.Combine(TestPaths.TinyModel, file)), File.ReadAllBytes(Path.Combine(Snapshot, file)));
        // As huggingface_hub lays it out: relative links to blobs named by the Hub's ETag (sha256 for LFS, git sha1 otherwise).
        Assert.Equal($"../../../blobs/{_repo.Sha256(Merged)}", new FileInfo(Path.Combine(Snapshot, Merged)).LinkTarget);
        Assert.Equal($"../../blobs/{_repo.GitSha1("config.json")}", new FileInfo(Path.Combine(Snapshot, "config.json")).LinkTarget);
        Assert.Equal(_repo.Commit, File.ReadAllText(Path.Combine(RepoFolder, "refs", "main")));
        Assert.Empty(Directory.GetFiles(RepoFolder, "*.incomplete", SearchOption.AllDirectories));
        Assert.Contains(_hub.Requests, r => r.Target.StartsWith("/api/models/models/tiny-gpt2/revision/main", StringComparison.Ordinal));
        Assert.Single(CdnRequestsFor(Merged));
        Assert.DoesNotContain(_hub.Requests, r => r.Target.Contains("model.onnx", StringComparison.Ordinal)); // only the chosen ONNX file
    }

    [Fact]
    public async Task A_second_resolve_uses_the_cache_without_any_request()
    {
        await ModelLocator.ResolveAsync(RepoName, Settings);
        var before = _hub.Requests.Count;

        var model = await ModelLocator.ResolveAsync(RepoName, Settings);

        Assert.Equal(Snapshot, model.Folder);
        Assert.Equal(before, _hub.Requests.Count);
    }

    [Fact]
    public async Task Download_without_cache_preference_asks_the_hub_again_but_fetches_nothing_twice()
    {
        await ModelLocator.ResolveAsync(RepoName, Settings);
        await ModelLocator.ResolveAsync(RepoName, Settings with { PreferCache = false });

        Assert.Equal(2, _hub.Requests.Count(r => r.Target.StartsWith("/api/", StringComparison.Ordinal)));
        Assert.Single(CdnRequestsFor(Merged));
    }

    [Fact]
    public async Task Progress_reports_each_file_up_to_its_size()
    {
        var progress = new RecordingProgress();
        await ModelLocator.ResolveAsync(RepoName, Settings, progress);

        Assert.Equal(["config.json", "generation_config.json", Merged], progress.Finished);
        Assert.Equal(MergedSize, progress.Totals[Merged]);
        Assert.Equal(MergedSize, progress.Last[Merged]);
    }

    [Fact]
    public async Task A_cut_download_resumes_with_a_range_request_in_the_same_run()
    {
        _hub.AddFault(Merged, new Fault { CutAfterBytes = 1_000_000 });

        var model = await ModelLocator.ResolveAsync(RepoName, Settings);

        var requests = CdnRequestsFor(Merged).ToList();
        Assert.Equal(2, requests.Count);
        Assert.Equal(1_000_000, requests[1].RangeStart);
        Assert.True(requests[1].BodyBytes < MergedSize);
        Assert.Equal(MergedSize, requests[0].BodyBytes + requests[1].BodyBytes);
        Assert.Equal(File.ReadAllBytes(Path.Combine(TestPaths.TinyModel, Merged)), File.ReadAllBytes(Path.Combine(model.Folder, Merged)));
    }

    [Fact]
    public async Task A_cut_download_resumes_in_the_next_run_and_leaves_nothing_in_the_snapshot_meanwhile()
    {
        _hub.AddFault(Merged, new Fault { CutAfterBytes = 2_000_000 });

        var error = await Assert.ThrowsAsync<GptChatException>(() => ModelLocator.ResolveAsync(RepoName, Settings with { MaxAttempts = 1 }));

        Assert.Contains("run the command again to resume", error.Message);
        Assert.False(File.Exists(Path.Combine(Snapshot, Merged)));
        Assert.False(File.Exists(Path.Combine(RepoFolder, "blobs", _repo.Sha256(Merged))));
        Assert.Equal(2_000_000, new FileInfo(Path.Combine(RepoFolder, "blobs", _repo.Sha256(Merged) + ".incomplete")).Length);

        await ModelLocator.ResolveAsync(RepoName, Settings);

        var second = CdnRequestsFor(Merged).Last();
        Assert.Equal(2_000_000, second.RangeStart);
        Assert.Equal(MergedSize - 2_000_000, second.BodyBytes);
        Assert.Equal(File.ReadAllBytes(Path.Combine(TestPaths.TinyModel, Merged)), File.ReadAllBytes(Path.Combine(Snapshot, Merged)));
    }

    [Theory]
    [InlineData(Merged)]          // LFS: checked against the sha256
    [InlineData("config.json")]   // regular: checked against the git blob sha1
    public async Task Wrong_bytes_fail_the_checksum_and_leave_no_file(string file)
    {
        _hub.AddFault(file, new Fault { WrongBytes = true });

        var error = await Assert.ThrowsAsync<GptChatException>(() => ModelLocator.ResolveAsync(RepoName, Settings));

        Assert.Contains("checksum mismatch", error.Message);
        Assert.Contains(file, error.Message);
        Assert.False(File.Exists(Path.Combine(Snapshot, file)));
        Assert.Empty(Directory.GetFiles(Path.Combine(RepoFolder, "blobs"), file == Merged ? _repo.Sha256(file) + "*" : _repo.GitSha1(file) + "*"));
    }

    [Fact]
    public async Task A_stalled_download_is_reported_and_kept_for_resuming()
    {
        _hub.AddFault(Merged, new Fault { PauseMidBody = TimeSpan.FromSeconds(30) });

        var error = await Assert.ThrowsAsync<GptChatException>(
            () => ModelLocator.ResolveAsync(RepoName, Settings with { StallTimeout = TimeSpan.FromSeconds(1), MaxAttempts = 1 }));

        Assert.Contains("stalled", error.Message);
        Assert.False(File.Exists(Path.Combine(Snapshot, Merged)));
        Assert.True(new FileInfo(Path.Combine(RepoFolder, "blobs", _repo.Sha256(Merged) + ".incomplete")).Length > 0);
    }

    [Fact]
    public async Task Offline_with_a_warm_cache_needs_no_server()
    {
        await ModelLocator.ResolveAsync(RepoName, Settings);
        _hub.Dispose();

        var model = await ModelLocator.ResolveAsync(RepoName, Settings with { Offline = true, PreferCache = false });

        Assert.Equal(Snapshot, model.Folder);
        Assert.Equal(Merged, model.OnnxFile);
    }

    [Fact]
    public async Task Offline_with_a_cold_cache_fails_clearly_without_a_request()
    {
        var error = await Assert.ThrowsAsync<GptChatException>(() => ModelLocator.ResolveAsync(RepoName, Settings with { Offline = true }));

        Assert.Contains("not in the cache", error.Message);
        Assert.Contains("--offline", error.Message);
        Assert.Empty(_hub.Requests);
    }

    [Fact]
    public async Task A_cache_laid_out_by_python_huggingface_hub_is_used_with_no_request()
    {
        // As hf_hub_download leaves it: blobs named by sha256 / git sha1, relative links in the snapshot, refs/main.
        const string commit = "0123456789abcdef0123456789abcdef01234567";
        var repoFolder = Path.Combine(_cache.Path, "models--someone--tiny");
        var snapshot = Path.Combine(repoFolder, "snapshots", commit);
        Directory.CreateDirectory(Path.Combine(repoFolder, "blobs"));
        Directory.CreateDirectory(Path.Combine(snapshot, "onnx"));
        Directory.CreateDirectory(Path.Combine(repoFolder, "refs"));
        foreach (var (file, link) in new[] { ("config.json", "../../blobs/"), ("onnx/model.onnx", "../../../blobs/") })
        {
            var bytes = File.ReadAllBytes(Path.Combine(TestPaths.TinyModel, file));
            var blob = Convert.ToHexStringLower(SHA256.HashData(bytes));
            File.WriteAllBytes(Path.Combine(repoFolder, "blobs", blob), bytes);
            File.CreateSymbolicLink(Path.Combine(snapshot, file), link + blob);
        }
        File.WriteAllText(Path.Combine(repoFolder, "refs", "main"), commit);

        var model = await ModelLocator.ResolveAsync("someone/tiny", Settings);

        Assert.Equal(snapshot, model.Folder);
        Assert.Equal("onnx/model.onnx", model.OnnxFile);
        Assert.Empty(_hub.Requests);
    }

    [Fact]
    public async Task Two_downloads_of_the_same_model_at_once_fetch_each_file_once_and_agree()
    {
        var results = await Task.WhenAll(ModelLocator.ResolveAsync(RepoName, Settings), ModelLocator.ResolveAsync(RepoName, Settings));

        Assert.All(results, r => Assert.Equal(Snapshot, r.Folder));
        Assert.Single(CdnRequestsFor(Merged));
        Assert.Equal(File.ReadAllBytes(Path.Combine(TestPaths.TinyModel, Merged)), File.ReadAllBytes(Path.Combine(Snapshot, Merged)));
        Assert.Empty(Directory.GetFiles(RepoFolder, "*.incomplete", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Without_hashes_in_the_listing_the_etags_come_from_head_requests()
    {
        _repo.ListBlobs = false;

        var model = await ModelLocator.ResolveAsync(RepoName, Settings);

        Assert.Contains(_hub.Requests, r => r.Method == "HEAD");
        Assert.Equal($"../../../blobs/{_repo.Sha256(Merged)}", new FileInfo(Path.Combine(model.Folder, Merged)).LinkTarget);
        Assert.Equal($"../../blobs/{_repo.GitSha1("config.json")}", new FileInfo(Path.Combine(model.Folder, "config.json")).LinkTarget);
    }

    [Fact]
    public async Task Variant_picks_the_matching_onnx_file_and_names_it()
    {
        _hub.AddRepo("org/variants", new Dictionary<string, byte[]>
        {
            ["config.json"] = "{}"u8.ToArray(),
            ["onnx/model.onnx"] = [1, 2, 3],
            ["onnx/model_quantized.onnx"] = [4, 5],
            ["onnx/model_fp16.onnx"] = [6],
            ["onnx/model_fp16.onnx_data"] = [7, 7],
            ["vocab.json"] = "{}"u8.ToArray(),
            ["merges.txt"] = "#version: 0.2\n"u8.ToArray(),
            ["README.md"] = "x"u8.ToArray(),
        });

        var quantized = await ModelLocator.ResolveAsync("org/variants", Settings with { Variant = "quantized" });
        var fp16 = await ModelLocator.ResolveAsync("org/variants", Settings with { Variant = "fp16" });

        Assert.Equal("onnx/model_quantized.onnx", quantized.OnnxFile);
        Assert.Equal("onnx/model_fp16.onnx", fp16.OnnxFile);
        Assert.Equal(["config.json", "merges.txt", "onnx/model_fp16.onnx", "onnx/model_fp16.onnx_data", "onnx/model_quantized.onnx", "vocab.json"],
                     HubCache.ListFiles(fp16.Folder));
    }

    [Fact]
    public async Task An_unknown_variant_names_the_variants_the_repo_has()
    {
        var error = await Assert.ThrowsAsync<GptChatException>(() => ModelLocator.ResolveAsync(RepoName, Settings with { Variant = "q4" }));

        Assert.Contains("'q4'", error.Message);
        Assert.Contains("it has: fp32", error.Message);
        Assert.DoesNotContain(_hub.Requests, r => r.Target.Contains("/resolve/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_gated_repo_without_token_says_to_set_HF_TOKEN()
    {
        _hub.AddTinyGpt2("org/gated", TestPaths.TinyModel, requiredToken: "hf_secret");

        var error = await Assert.ThrowsAsync<GptChatException>(() => ModelLocator.ResolveAsync("org/gated", Settings));

        Assert.Contains("HTTP 401", error.Message);
        Assert.Contains("set HF_TOKEN", error.Message);
    }

    [Fact]
    public async Task A_wrong_token_is_refused_without_printing_it()
    {
        _hub.AddTinyGpt2("org/gated", TestPaths.TinyModel, requiredToken: "hf_secret");

        var error = await Assert.ThrowsAsync<GptChatException>(() => ModelLocator.ResolveAsync("org/gated", Settings with { Token = "hf_wrong_token" }));

        Assert.Contains("HF_TOKEN is set but cannot read it", error.Message);
        Assert.DoesNotContain("hf_wrong_token", error.Message);
        Assert.DoesNotContain("hf_wrong_token", (Settings with { Token = "hf_wrong_token" }).ToString());
    }

    [Fact]
    public async Task The_token_goes_to_the_hub_but_not_to_the_cdn_it_redirects_to()
    {
        _hub.AddTinyGpt2("org/gated", TestPaths.TinyModel, requiredToken: "hf_secret");

        await ModelLocator.ResolveAsync("org/gated", Settings with { Token = "hf_secret" });

        Assert.All(_hub.Requests.Where(r => r.Host.StartsWith("127.0.0.1", StringComparison.Ordinal)), r => Assert.Equal("Bearer hf_secret", r.Authorization));
        var cdn = _hub.Requests.Where(r => r.Target.StartsWith("/cdn/", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(cdn);
        Assert.All(cdn, r => Assert.Null(r.Authorization));
    }

    [Fact]
    public async Task A_missing_repo_is_named()
    {
        var error = await Assert.ThrowsAsync<GptChatException>(() => ModelLocator.ResolveAsync("nobody/nothing", Settings));
        Assert.Contains("nobody/nothing", error.Message);
        Assert.Contains("not found", error.Message);
    }

    [Fact]
    public async Task A_missing_revision_is_named()
    {
        var error = await Assert.ThrowsAsync<GptChatException>(() => ModelLocator.ResolveAsync(RepoName, Settings with { Revision = "v9" }));
        Assert.Contains("revision 'v9'", error.Message);
        Assert.Contains("--revision", error.Message);
    }

    [Fact]
    public async Task A_missing_file_is_named()
    {
        _hub.AddFault(Merged, new Fault { Status = 404, ErrorCode = "EntryNotFound" });

        var error = await Assert.ThrowsAsync<GptChatException>(() => ModelLocator.ResolveAsync(RepoName, Settings));

        Assert.Contains(Merged, error.Message);
        Assert.Contains(RepoName, error.Message);
        Assert.Contains("HTTP 404", error.Message);
    }

    [Fact]
    public async Task An_unreachable_endpoint_suggests_offline_or_a_local_folder()
    {
        var port = _hub.Port;
        _hub.Dispose();

        var error = await Assert.ThrowsAsync<GptChatException>(() => ModelLocator.ResolveAsync(RepoName, Settings with { Endpoint = $"http://127.0.0.1:{port}" }));

        Assert.Contains("cannot reach", error.Message);
        Assert.Contains("--offline", error.Message);
        Assert.Contains("local model folder", error.Message);
    }

    [Fact]
    public async Task Plain_http_is_refused_off_loopback()
    {
        var error = await Assert.ThrowsAsync<GptChatException>(() => ModelLocator.ResolveAsync(RepoName, Settings with { Endpoint = "http://example.com" }));

        Assert.Contains("plain http", error.Message);
        Assert.Equal(2, error.ExitCode);
    }

    [Fact]
    public async Task A_redirect_to_plain_http_off_loopback_is_refused()
    {
        _hub.AddFault(Merged, new Fault { RedirectTo = "http://cdn.example.com/blob" });

        var error = await Assert.ThrowsAsync<GptChatException>(() => ModelLocator.ResolveAsync(RepoName, Settings));

        Assert.Contains("refusing redirect to plain http on cdn.example.com", error.Message);
        Assert.False(File.Exists(Path.Combine(Snapshot, Merged)));
        Assert.Empty(Directory.GetFiles(Path.Combine(RepoFolder, "blobs"), "*.incomplete"));
    }

    [Fact]
    public async Task Hostile_names_in_the_listing_are_never_written()
    {
        _repo.ExtraListedNames.AddRange(["../../escape.json", "/etc/passwd", "onnx/../../../x.onnx_data", "onnx/decoder_model_merged.onnx_data/../../../y"]);

        var model = await ModelLocator.ResolveAsync(RepoName, Settings);

        Assert.Equal(["config.json", "generation_config.json", Merged], HubCache.ListFiles(model.Folder));
        Assert.Equal([".locks", "models--models--tiny-gpt2"], Directory.GetFileSystemEntries(_cache.Path).Select(Path.GetFileName).Order());
    }

    [Fact]
    public async Task A_local_folder_is_used_as_it_is()
    {
        var model = await ModelLocator.ResolveAsync(TestPaths.TinyModel, Settings);
        var named = await ModelLocator.ResolveAsync(TestPaths.TinyModel, Settings with { Variant = "fp32" });

        Assert.Equal(Path.GetFullPath(TestPaths.TinyModel), model.Folder);
        Assert.Null(model.OnnxFile);
        Assert.Equal(Merged, named.OnnxFile);
        Assert.Empty(_hub.Requests);
    }

    [Fact]
    public async Task A_missing_folder_path_is_reported_as_a_folder()
    {
        var error = await Assert.ThrowsAsync<GptChatException>(() => ModelLocator.ResolveAsync("./no/such/folder", Settings));
        Assert.Contains("model folder not found", error.Message);
        Assert.Empty(_hub.Requests);
    }

    [Fact]
    public async Task A_missing_folder_under_an_existing_local_folder_is_reported_as_a_folder()
    {
        // "<local folder>/nope" has the shape of a Hub id (org/name), but its first part is a folder right here.
        var local = "local-models-" + Guid.NewGuid().ToString("N");
        Directory.CreateDirectory(local);
        try
        {
            var error = await Assert.ThrowsAsync<GptChatException>(() => ModelLocator.ResolveAsync(local + "/nope", Settings));
            Assert.Contains("model folder not found: " + local + "/nope", error.Message);
            Assert.Empty(_hub.Requests);
        }
        finally
        {
            Directory.Delete(local);
        }
    }

    private sealed class RecordingProgress : IDownloadProgress
    {
        public List<string> Finished { get; } = [];
        public Dictionary<string, long?> Totals { get; } = [];
        public Dictionary<string, long> Last { get; } = [];
        public void Started(string file, long? totalBytes) => Totals[file] = totalBytes;
        public void Advanced(string file, long bytesSoFar) => Last[file] = bytesSoFar;
        void IDownloadProgress.Finished(string file) => Finished.Add(file);
    }
}

using GptChat.Hub;
using GptChat.Testing.Hub;

namespace GptChat.Core.Tests.Hub;

/// <summary>CachedModels.RemoveAsync (models rm) against downloads of the same repo: it takes their locks or refuses.</summary>
public sealed class CachedModelsRemoveTests : IDisposable
{
    private const string RepoName = "models/tiny-gpt2";
    private const string Merged = "onnx/decoder_model_merged.onnx";
    private const string Refusal = "cannot remove models/tiny-gpt2: a download of it is running (try again when it ends)";
    private static readonly TimeSpan LockWait = TimeSpan.FromMilliseconds(200);
    private readonly FakeHub _hub = new();
    private readonly TempFolder _cache = new();
    private readonly FakeRepo _repo;

    public CachedModelsRemoveTests() => _repo = _hub.AddTinyGpt2(RepoName, TestPaths.TinyModel);

    public void Dispose()
    {
        _hub.Dispose();
        _cache.Dispose();
    }

    private HubSettings Settings => new()
    {
        Endpoint = _hub.Endpoint, CacheDir = _cache.Path, StallTimeout = TimeSpan.FromSeconds(60), MaxAttempts = 1,
    };

    private HubCache Cache => new(_cache.Path);
    private static RepoId Repo => RepoId.TryParse(RepoName, out var repo) ? repo : throw new InvalidOperationException();
    private string RepoFolder => Path.Combine(_cache.Path, "models--models--tiny-gpt2");
    private string LockFolder => Path.Combine(_cache.Path, ".locks", "models--models--tiny-gpt2");

    /// <summary>
    /// Every file and link under the cache (hidden .locks included), with its size or link target; a part-written blob
    /// only as "partial", since the running download may still be writing what it has received.
    /// </summary>
    private string[] CacheContents() =>
        Directory.EnumerateFileSystemEntries(_cache.Path, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
            .Select(e => new FileInfo(e))
            .Select(f => $"{Path.GetRelativePath(_cache.Path, f.FullName)} {f.LinkTarget ?? (!f.Exists ? "dir" : f.Name.EndsWith(".incomplete", StringComparison.Ordinal) ? "partial" : f.Length.ToString())}")
            .Order(StringComparer.Ordinal)
            .ToArray();

    [Fact]
    public async Task A_running_download_holds_the_repo_and_removal_refuses_without_touching_it()
    {
        _hub.AddFault(Merged, new Fault { PauseMidBody = TimeSpan.FromSeconds(60) });
        using var stop = new CancellationTokenSource();
        var download = ModelLocator.ResolveAsync(RepoName, Settings, cancellationToken: stop.Token);
        await UntilAsync(() => _hub.Requests.Any(r => r.Target == "/cdn/" + _repo.Sha256(Merged) && r.BodyBytes > 0));
        var before = CacheContents();

        var error = await Assert.ThrowsAsync<GptChatException>(() => CachedModels.RemoveAsync(_cache.Path, RepoName, LockWait));

        Assert.Equal(Refusal, error.Message);
        Assert.Equal(1, error.ExitCode);
        Assert.Equal(before, CacheContents());
        // config.json is done and linked; the ONNX file is part written.
        Assert.Contains(Path.Combine("models--models--tiny-gpt2", "snapshots", _repo.Commit, "config.json") + " ../../blobs/" + _repo.GitSha1("config.json"), before);
        Assert.Contains(before, e => e.StartsWith(Path.Combine("models--models--tiny-gpt2", "blobs", _repo.Sha256(Merged) + ".incomplete"), StringComparison.Ordinal));
        // The download holds the repo's downloads lock, not only the lock of the blob it is writing.
        Assert.Null(await FileLock.TryAcquireAsync(Cache.DownloadsLockPath(Repo), TimeSpan.Zero, CancellationToken.None));

        stop.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => download);
        await CachedModels.RemoveAsync(_cache.Path, RepoName, LockWait);

        Assert.False(Directory.Exists(RepoFolder));
        Assert.False(Directory.Exists(LockFolder));
    }

    [Fact]
    public async Task A_held_downloads_lock_alone_makes_removal_refuse()
    {
        await ModelLocator.ResolveAsync(RepoName, Settings);

        using (await FileLock.AcquireAsync(Cache.DownloadsLockPath(Repo), shared: true, CancellationToken.None))
        {
            var error = await Assert.ThrowsAsync<GptChatException>(() => CachedModels.RemoveAsync(_cache.Path, RepoName, LockWait));
            Assert.Equal(Refusal, error.Message);
            Assert.True(File.Exists(Path.Combine(RepoFolder, "snapshots", _repo.Commit, "config.json")));
        }

        await CachedModels.RemoveAsync(_cache.Path, RepoName, LockWait);
        Assert.False(Directory.Exists(RepoFolder));
    }

    [Fact]
    public async Task A_lock_of_a_blob_not_yet_in_blobs_is_taken_too()
    {
        // A download (e.g. Python's) holds its blob's lock before it writes any byte of the blob.
        await ModelLocator.ResolveAsync(RepoName, Settings);
        var notYetWritten = Path.Combine(LockFolder, new string('a', 64) + ".lock");

        using (await FileLock.AcquireAsync(notYetWritten, CancellationToken.None))
            await Assert.ThrowsAsync<GptChatException>(() => CachedModels.RemoveAsync(_cache.Path, RepoName, LockWait));

        Assert.True(Directory.Exists(Path.Combine(RepoFolder, "snapshots")));
    }

    [Fact]
    public async Task Removal_without_a_lock_folder_removes_the_repo()
    {
        // A cache copied from elsewhere, or cleaned of .locks: the blobs' locks are made to be taken.
        await ModelLocator.ResolveAsync(RepoName, Settings);
        Directory.Delete(LockFolder, recursive: true);

        var removed = await CachedModels.RemoveAsync(_cache.Path, RepoName, LockWait);

        Assert.Equal(RepoName, removed.Id);
        Assert.False(Directory.Exists(RepoFolder));
        Assert.False(Directory.Exists(LockFolder));
        Assert.True(Directory.Exists(_cache.Path));
    }

    [Fact]
    public async Task A_lock_folder_that_cannot_be_made_is_one_error_and_removes_nothing()
    {
        await ModelLocator.ResolveAsync(RepoName, Settings);
        Directory.Delete(LockFolder, recursive: true);
        File.WriteAllText(LockFolder, "a file where the lock folder goes");

        var error = await Assert.ThrowsAsync<GptChatException>(() => CachedModels.RemoveAsync(_cache.Path, RepoName, LockWait));

        Assert.StartsWith("cannot remove models/tiny-gpt2 from ", error.Message);
        Assert.True(Directory.Exists(Path.Combine(RepoFolder, "snapshots")));
    }

    /// <summary>Waits for something the test cannot await; the bound only keeps a broken test from hanging.</summary>
    private static async Task UntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 3000 && !condition(); i++)
            await Task.Delay(10);
        Assert.True(condition());
    }
}

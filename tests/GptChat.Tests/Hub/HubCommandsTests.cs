using System.CommandLine;
using GptChat.Cli.Commands;
using GptChat.Hub;
using GptChat.Testing.Hub;

namespace GptChat.Tests.Hub;

/// <summary><c>gptchat download</c> and <c>gptchat models</c> in process, against the loopback fake Hub.</summary>
public sealed class HubCommandsTests : IDisposable
{
    private const string RepoName = "models/tiny-gpt2";
    private readonly FakeHub _hub = new();
    private readonly TempFolder _home = new();
    private readonly FakeRepo _repo;

    public HubCommandsTests() => _repo = _hub.AddTinyGpt2(RepoName, TestPaths.TinyModel);

    public void Dispose()
    {
        _hub.Dispose();
        _home.Dispose();
    }

    // Only what a test sets: never the real HF_HOME, token or cache of the machine running the tests.
    private Func<string, string?> Environment(params (string Name, string Value)[] extra)
    {
        var variables = new Dictionary<string, string> { ["HF_ENDPOINT"] = _hub.Endpoint, ["HF_HOME"] = _home.Path };
        foreach (var (name, value) in extra)
            variables[name] = value;
        return name => variables.GetValueOrDefault(name);
    }

    private string Cache => Path.Combine(_home.Path, "hub");
    private string Snapshot => Path.Combine(Cache, "models--models--tiny-gpt2", "snapshots", _repo.Commit);

    private static async Task<(int Exit, string Out, string Err)> RunAsync(Command command, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await command.Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Download_prints_the_snapshot_folder_and_progress_lines()
    {
        var (exit, output, error) = await RunAsync(DownloadCommand.Create(Environment()), RepoName);

        Assert.Equal(0, exit);
        Assert.Equal(Snapshot + "\n", output.ReplaceLineEndings("\n"));
        Assert.Contains("gptchat: downloading onnx/decoder_model_merged.onnx (6.9 MB)", error);
        Assert.Contains("gptchat: downloaded onnx/decoder_model_merged.onnx (6.9 MB)", error);
        Assert.True(File.Exists(Path.Combine(Snapshot, "onnx", "decoder_model_merged.onnx")));
    }

    [Fact]
    public async Task Download_quiet_prints_no_progress()
    {
        var (exit, output, error) = await RunAsync(DownloadCommand.Create(Environment()), RepoName, "--quiet");

        Assert.Equal(0, exit);
        Assert.Equal(Snapshot + "\n", output.ReplaceLineEndings("\n"));
        Assert.Equal("", error);
    }

    [Fact]
    public async Task Download_honours_cache_dir_and_variant_flags()
    {
        using var other = new TempFolder();

        var (exit, output, _) = await RunAsync(DownloadCommand.Create(Environment()), RepoName, "--cache-dir", other.Path, "--variant", "fp32", "--revision", "main", "--quiet");

        Assert.Equal(0, exit);
        Assert.StartsWith(other.Path, output);
        Assert.False(Directory.Exists(Cache));
    }

    [Fact]
    public async Task Download_errors_are_one_line_with_exit_code_1()
    {
        var (exit, output, error) = await RunAsync(DownloadCommand.Create(Environment()), "nobody/nothing");

        Assert.Equal(1, exit);
        Assert.Equal("", output);
        Assert.Single(error.TrimEnd().Split('\n'));
        Assert.StartsWith("gptchat: model repo nobody/nothing not found", error);
    }

    [Fact]
    public async Task Download_of_an_invalid_id_is_a_usage_error()
    {
        var (exit, _, error) = await RunAsync(DownloadCommand.Create(Environment()), "org/na..me");

        Assert.Equal(2, exit);
        Assert.Contains("nor a valid Hub model id", error);
    }

    [Fact]
    public async Task Offline_from_the_environment_fails_clearly_on_a_cold_cache()
    {
        var (exit, _, error) = await RunAsync(DownloadCommand.Create(Environment(("HF_HUB_OFFLINE", "1"))), RepoName);

        Assert.Equal(1, exit);
        Assert.Contains("not in the cache", error);
        Assert.Empty(_hub.Requests);
    }

    [Fact]
    public async Task The_token_never_appears_in_output()
    {
        _hub.AddTinyGpt2("org/gated", TestPaths.TinyModel, requiredToken: "hf_right");

        var (exit, output, error) = await RunAsync(DownloadCommand.Create(Environment(("HF_TOKEN", "hf_wrong_secret"))), "org/gated");

        Assert.Equal(1, exit);
        Assert.Contains("HF_TOKEN", error);
        Assert.DoesNotContain("hf_wrong_secret", output + error);
    }

    [Fact]
    public async Task Models_lists_sizes_and_revisions_and_rm_removes()
    {
        await RunAsync(DownloadCommand.Create(Environment()), RepoName, "--quiet");
        var size = new DirectoryInfo(Path.Combine(Cache, "models--models--tiny-gpt2", "blobs")).EnumerateFiles().Sum(f => f.Length);
        Assert.True(size > 6_900_000);

        var (exit, listing, _) = await RunAsync(ModelsCommand.Create(Environment()));
        Assert.Equal(0, exit);
        Assert.Contains($"models/tiny-gpt2  {Cli.Rendering.ByteSize.Format(size),9}  main {_repo.Commit[..7]}", listing);

        var (rmExit, removed, _) = await RunAsync(ModelsCommand.Create(Environment()), "rm", RepoName);
        Assert.Equal(0, rmExit);
        Assert.StartsWith("removed models/tiny-gpt2", removed);
        Assert.False(Directory.Exists(Path.Combine(Cache, "models--models--tiny-gpt2")));

        var (_, empty, _) = await RunAsync(ModelsCommand.Create(Environment()));
        Assert.StartsWith("no models in the cache", empty);
    }

    [Fact]
    public async Task Models_rm_of_an_uncached_model_fails()
    {
        var (exit, _, error) = await RunAsync(ModelsCommand.Create(Environment()), "rm", "gpt2");

        Assert.Equal(1, exit);
        Assert.Contains("openai-community/gpt2 is not in the cache", error);
    }

    [Fact]
    public async Task Models_reads_a_cache_dir_flag()
    {
        using var other = new TempFolder();
        await RunAsync(DownloadCommand.Create(Environment()), RepoName, "--quiet", "--cache-dir", other.Path);

        var (_, inDefault, _) = await RunAsync(ModelsCommand.Create(Environment()));
        var (_, inOther, _) = await RunAsync(ModelsCommand.Create(Environment()), "--cache-dir", other.Path);
        var (rmExit, _, _) = await RunAsync(ModelsCommand.Create(Environment()), "rm", RepoName, "--cache-dir", other.Path);

        Assert.StartsWith("no models", inDefault);
        Assert.StartsWith("models/tiny-gpt2", inOther);
        Assert.Equal(0, rmExit);
    }

    private string RepoFolder => Path.Combine(Cache, "models--models--tiny-gpt2");
    private string LockFolder => Path.Combine(Cache, ".locks", "models--models--tiny-gpt2");
    private string MergedBlobLock => Path.Combine(LockFolder, _repo.Sha256("onnx/decoder_model_merged.onnx") + ".lock");

    /// <summary>Every file and link under the cache (hidden .locks included), with its size or link target.</summary>
    private string[] CacheContents() =>
        Directory.EnumerateFileSystemEntries(Cache, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
            .Select(e => new FileInfo(e))
            .Select(f => $"{Path.GetRelativePath(Cache, f.FullName)} {f.LinkTarget ?? (f.Exists ? f.Length.ToString() : "dir")}")
            .Order(StringComparer.Ordinal)
            .ToArray();

    [Fact]
    public async Task Models_rm_refuses_in_one_line_while_a_download_holds_a_blob_lock_and_leaves_the_cache_as_it_was()
    {
        await RunAsync(DownloadCommand.Create(Environment()), RepoName, "--quiet");
        var before = CacheContents();

        // As another process downloading that blob (ours or huggingface_hub's) holds it.
        using (await FileLock.AcquireAsync(MergedBlobLock, CancellationToken.None))
        {
            var (exit, output, error) = await RunAsync(ModelsCommand.Create(Environment()), "rm", RepoName);

            Assert.Equal(1, exit);
            Assert.Equal("", output);
            Assert.Equal("gptchat: cannot remove models/tiny-gpt2: a download of it is running (try again when it ends)\n", error.ReplaceLineEndings("\n"));
            Assert.Equal(before, CacheContents());
        }
        Assert.Contains(before, e => e.StartsWith(Path.Combine("models--models--tiny-gpt2", "snapshots", _repo.Commit, "config.json"), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Models_rm_removes_the_model_and_its_lock_folder_once_the_lock_is_released()
    {
        await RunAsync(DownloadCommand.Create(Environment()), RepoName, "--quiet");
        var held = await FileLock.AcquireAsync(MergedBlobLock, CancellationToken.None);
        var (refusedExit, _, _) = await RunAsync(ModelsCommand.Create(Environment()), "rm", RepoName);
        Assert.Equal(1, refusedExit);

        held.Dispose();
        var (exit, output, error) = await RunAsync(ModelsCommand.Create(Environment()), "rm", RepoName);

        Assert.Equal(0, exit);
        Assert.StartsWith("removed models/tiny-gpt2", output);
        Assert.Equal("", error);
        Assert.False(Directory.Exists(RepoFolder));
        Assert.False(Directory.Exists(LockFolder));
        Assert.True(Directory.Exists(Cache));
    }
}

using static GptChat.Tests.Chat.ChatRuns;

namespace GptChat.Tests.Chat;

/// <summary>Every bad input ends with one line on stderr, the right exit code and no stack trace.</summary>
public class ErrorTests
{
    [Theory]
    [InlineData("--num-beams", "0", "--num-beams")]
    [InlineData("--num-beams", "many", "--num-beams")]
    [InlineData("--max-new-tokens", "0", "--max-new-tokens")]
    [InlineData("--max-length", "-5", "--max-length")]
    [InlineData("--max-length", "99999999999", "--max-length must be at most 2147483647")]
    [InlineData("--top-p", "1.5", "--top-p")]
    [InlineData("--temperature", "0", "--temperature")]
    [InlineData("--repetition-penalty", "0", "--repetition-penalty")]
    [InlineData("--length-penalty", "nan", "--length-penalty")]
    [InlineData("--early-stopping", "maybe", "--early-stopping")]
    [InlineData("--do-sample", "perhaps", "--do-sample")]
    [InlineData("--seed", "-1", "--seed")]
    [InlineData("--threads", "0", "--threads")]
    [InlineData("--threads", "100000", "--threads")]
    [InlineData("--format", "chatml", "--format")]
    [InlineData("--stdin", "some", "--stdin")]
    [InlineData("--num-return-sequences", "3", "--num-return-sequences")]   // greedy returns one sequence
    [InlineData("--bogus", "1", "--bogus")]
    public async Task Out_of_range_or_unknown_options_are_usage_errors(string option, string value, string named)
    {
        var run = await RunAsync(Tiny("-p", "Hello", "--num-beams", "1", option, value));

        Assert.Equal(2, run.ExitCode);
        AssertOneLineError(run, named);
        Assert.Equal("", run.StdOut);
    }

    [Theory]
    [InlineData("--num-beams", "100000")]
    [InlineData("--num-return-sequences", "1000000", "--do-sample", "--num-beams", "1")]
    public async Task A_batch_too_large_for_memory_is_a_usage_error_and_prints_nothing(params string[] options)
    {
        var run = await RunAsync(Tiny(["-p", "Hello", "--echo-prompt", .. options]));

        Assert.Equal(2, run.ExitCode);
        AssertOneLineError(run, options[0]);
        Assert.Contains("GiB", run.StdErr);
        Assert.Equal("", run.StdOut);
    }

    [Theory]
    [InlineData("--model", "MODEL")]            // pipe mode
    [InlineData("tokenize", "--jsonl")]
    public async Task A_closed_stdin_is_one_line_not_a_hang(params string[] args)
    {
        // With descriptor 0 closed, the runtime's own pipe lands on it: reading it would wait for ever.
        var run = await ShellRuns.GptChatAsync("<&-", args);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("gptchat: stdin is closed: there is nothing to read (give --prompt TEXT, or pipe text in)", run.StdErr.TrimEnd('\n'));
    }

    [Fact]
    public async Task An_early_error_always_exits_1_never_a_crash()
    {
        // ONNX Runtime starts loading on another thread at once; an exit during that load crashed (SIGSEGV/SIGABRT)
        // about every other run before the app waited for it. Eight runs miss such a crash about once in 256.
        var missing = Path.Combine(Path.GetTempPath(), "no-such-gptchat-model");
        for (var i = 0; i < 8; i++)
        {
            var run = await RunAsync(["--model", missing, "-p", "Hello"]);
            Assert.Equal(1, run.ExitCode);
            AssertOneLineError(run, missing);
        }
    }

    [Theory]
    [InlineData("--model", "MODEL")]
    [InlineData("--model", "MODEL", "--stdin", "whole")]
    [InlineData("tokenize", "--jsonl")]
    public async Task A_directory_as_stdin_is_one_line_naming_stdin(params string[] args)
    {
        var run = await ShellRuns.GptChatAsync("< /", args);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("gptchat: cannot read stdin: Is a directory", run.StdErr.TrimEnd('\n'));
    }

    [Fact]
    public async Task A_hub_cache_that_is_a_file_is_one_line()
    {
        var run = await RunAsync(["download", "gpt2", "--cache-dir", "/dev/null"]);

        Assert.Equal(1, run.ExitCode);
        AssertOneLineError(run, "the Hub cache /dev/null is a file, not a folder");
    }

    [Fact]
    public async Task An_empty_prompt_is_a_usage_error()
    {
        var run = await RunAsync(Tiny("-p", ""));
        Assert.Equal(2, run.ExitCode);
        AssertOneLineError(run, "--prompt");
    }

    [Theory]
    [InlineData]                              // the chat
    [InlineData("tokenize", "Hello")]
    [InlineData("bench", "--reps", "1")]
    public async Task A_missing_model_folder_is_a_runtime_error_naming_the_path_in_every_command(params string[] command)
    {
        var missing = Path.Combine(Path.GetTempPath(), "no-such-gptchat-model");
        var run = await RunAsync(command.Length == 0 ? ["--model", missing, "-p", "Hello"] : [command[0], "--model", missing, .. command[1..]]);

        Assert.Equal(1, run.ExitCode);
        AssertOneLineError(run, missing);
    }

    [Fact]
    public async Task An_onnx_file_given_as_the_model_names_the_folder_and_onnx_file_to_use()
    {
        var run = await RunAsync(["--model", Path.Combine(TestPaths.TinyModel, "onnx", "decoder_model_merged.onnx"), "-p", "Hello"]);

        Assert.Equal(2, run.ExitCode);
        AssertOneLineError(run, $"use --model {Path.GetRelativePath(".", TestPaths.TinyModel)} --onnx-file onnx/decoder_model_merged.onnx");
    }

    [Fact]
    public async Task A_file_given_as_the_model_is_a_usage_error_not_a_hub_request()
    {
        // README.md would be a valid Hub id: asking the Hub for it would only end in a network or 404 error.
        var file = Path.Combine(TestPaths.TinyModel, "README.md");
        var run = await GptChatProcess.RunAsync(["--model", file, "-p", "Hello"], environment: new Dictionary<string, string?> { ["HF_ENDPOINT"] = "http://127.0.0.1:9" });

        Assert.Equal(2, run.ExitCode);
        AssertOneLineError(run, $"{file} is a file, not a model folder");
    }

    [Fact]
    public async Task A_truncated_onnx_file_is_a_runtime_error()
    {
        using var model = new ModelCopy();
        var onnx = Path.Combine(model.Folder, "onnx", "decoder_model_merged.onnx");
        var bytes = await File.ReadAllBytesAsync(onnx);
        await File.WriteAllBytesAsync(onnx, bytes[..(bytes.Length / 3)]);

        var run = await RunAsync(["--model", model.Folder, "-p", "Hello", "--onnx-file", "onnx/decoder_model_merged.onnx"]);

        Assert.Equal(1, run.ExitCode);
        AssertOneLineError(run, "decoder_model_merged.onnx");
    }

    [Fact]
    public async Task A_config_without_n_positions_is_a_runtime_error()
    {
        using var model = new ModelCopy();
        var config = Path.Combine(model.Folder, "config.json");
        var json = System.Text.Json.Nodes.JsonNode.Parse(await File.ReadAllTextAsync(config))!.AsObject();
        json.Remove("n_positions");
        json.Remove("n_ctx");
        await File.WriteAllTextAsync(config, json.ToJsonString());

        var run = await RunAsync(["--model", model.Folder, "-p", "Hello"]);

        Assert.Equal(1, run.ExitCode);
        AssertOneLineError(run, "n_positions");
    }

    [Fact]
    public async Task An_onnx_runtime_failure_is_our_one_line_without_its_own_log()
    {
        // A config that claims more positions than the graph's position table has: ORT fails in a Gather node and,
        // at its default log level, also prints its own coloured log line to stderr.
        using var model = new ModelCopy();
        var config = Path.Combine(model.Folder, "config.json");
        var json = System.Text.Json.Nodes.JsonNode.Parse(await File.ReadAllTextAsync(config))!.AsObject();
        json["n_positions"] = 100000;
        json.Remove("n_ctx");
        await File.WriteAllTextAsync(config, json.ToJsonString());

        var run = await RunAsync(["--model", model.Folder, "-p", string.Concat(Enumerable.Repeat("word ", 400)), "--num-beams", "1"]);

        Assert.Equal(1, run.ExitCode);
        AssertOneLineError(run, "ONNX Runtime failed");
        Assert.DoesNotContain("\u001b", run.StdErr);
    }

    [Fact]
    public async Task A_vocabulary_that_encodes_nothing_is_a_runtime_error_not_an_empty_prompt()
    {
        using var model = new ModelCopy();
        await File.WriteAllTextAsync(Path.Combine(model.Folder, "vocab.json"), "{\"a\":0}");
        await File.WriteAllTextAsync(Path.Combine(model.Folder, "merges.txt"), "#version: 0.2\n");

        var run = await RunAsync(["--model", model.Folder], "hi\n");

        Assert.Equal(1, run.ExitCode);
        AssertOneLineError(run, "vocab.json");
    }

    [Fact]
    public async Task Verbose_shows_the_stack_trace()
    {
        using var model = new ModelCopy();
        foreach (var onnx in Directory.GetFiles(Path.Combine(model.Folder, "onnx"), "*.onnx"))
            File.WriteAllBytes(onnx, [1, 2, 3]);

        var quiet = await RunAsync(["--model", model.Folder, "-p", "Hello"]);
        var verbose = await RunAsync(["--model", model.Folder, "-p", "Hello", "--verbose"]);

        Assert.Equal(1, quiet.ExitCode);
        Assert.False(HasStackTrace(quiet.StdErr));
        Assert.Equal(1, verbose.ExitCode);
        Assert.True(HasStackTrace(verbose.StdErr));
    }

    private static void AssertOneLineError(GptChatRun run, string mentioning)
    {
        var lines = Lines(run.StdErr);
        Assert.Single(lines);
        Assert.StartsWith("gptchat: ", lines[0]);
        Assert.Contains(mentioning, lines[0]);
        Assert.False(HasStackTrace(run.StdErr));
    }

    /// <summary>A scratch copy of the tiny model to break.</summary>
    private sealed class ModelCopy : IDisposable
    {
        public string Folder { get; } = Path.Combine(Path.GetTempPath(), "gptchat-model-" + Guid.NewGuid().ToString("N"));

        public ModelCopy()
        {
            foreach (var file in Directory.EnumerateFiles(TestPaths.TinyModel, "*", SearchOption.AllDirectories))
            {
                var target = Path.Combine(Folder, Path.GetRelativePath(TestPaths.TinyModel, file));
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(file, target);
            }
        }

        public void Dispose() => Directory.Delete(Folder, recursive: true);
    }
}

using GptChat.Modeling;
using Microsoft.ML.OnnxRuntime;

namespace GptChat.Core.Tests.Modeling;

/// <summary>
/// The optimised-model cache must only ever cost time: a built or reused copy gives the same logits as the
/// source, and a broken copy (truncated, garbled, wrong manifest) is rebuilt instead of failing.
/// Uses the tiny model (its size is below the production threshold, so the tests pass threshold 0).
/// </summary>
public sealed class OptimizedModelCacheTests : IDisposable
{
    private static readonly long[] Prompt = [464, 3616, 286, 1204, 318, 257, 1332, 286, 262, 995];
    private readonly string _root = Path.Combine(Path.GetTempPath(), "gptchat-cache-test-" + Guid.NewGuid().ToString("N"));
    private static string Source => Path.Combine(TestPaths.TinyModel, "onnx", "model.onnx");

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    private static SessionOptions NewOptions() => new() { IntraOpNumThreads = 1 };

    private InferenceSession Open(out OptimizedCacheOutcome outcome) =>
        OptimizedModelCache.CreateSession(Source, NewOptions, _root, 0, out outcome);

    private string SingleEntry() => Assert.Single(Directory.GetDirectories(_root));

    [Theory]
    [InlineData("model.onnx")]
    [InlineData("decoder_model_merged.onnx")]   // If subgraphs (use_cache_branch)
    [InlineData("decoder_model.onnx")]          // no past inputs
    [InlineData("decoder_with_past_model.onnx")]
    public void First_open_builds_a_copy_and_later_opens_reuse_it_with_identical_logits(string file)
    {
        string source = Path.Combine(TestPaths.TinyModel, "onnx", file);
        float[] expected;
        using (var direct = new InferenceSession(source, NewOptions()))
            expected = LastLogits(direct);

        using (var built = OptimizedModelCache.CreateSession(source, NewOptions, _root, 0, out var first))
        {
            Assert.Equal(OptimizedCacheOutcome.Built, first);
            Assert.Equal(expected, LastLogits(built), new ToleranceComparer(1e-4f));
        }
        string entry = SingleEntry();
        Assert.True(File.Exists(Path.Combine(entry, "weights.bin")), "the copy keeps its weights in an external file");

        using var reused = OptimizedModelCache.CreateSession(source, NewOptions, _root, 0, out var second);
        Assert.Equal(OptimizedCacheOutcome.Hit, second);
        Assert.Equal(expected, LastLogits(reused), new ToleranceComparer(1e-4f));
        Assert.Equal(entry, SingleEntry());
    }

    [Theory]
    [InlineData("weights.bin", "truncate")]
    [InlineData("manifest.json", "garble")]
    [InlineData("model.onnx", "garble")]
    [InlineData("manifest.json", "delete")]
    public void A_broken_copy_is_rebuilt_not_fatal(string file, string damage)
    {
        float[] expected;
        using (var first = Open(out _))
            expected = LastLogits(first);
        string path = Path.Combine(SingleEntry(), file);
        switch (damage)
        {
            case "truncate":
                using (var stream = new FileStream(path, FileMode.Open)) stream.SetLength(stream.Length / 2);
                break;
            case "garble": // same length, so only the content is wrong
                File.WriteAllBytes(path, Enumerable.Repeat((byte)'x', (int)new FileInfo(path).Length).ToArray());
                break;
            case "delete":
                File.Delete(path);
                break;
        }

        using var again = Open(out var outcome);
        Assert.Equal(OptimizedCacheOutcome.Built, outcome);
        Assert.Equal(expected, LastLogits(again), new ToleranceComparer(1e-4f));
        using var third = Open(out var thirdOutcome);
        Assert.Equal(OptimizedCacheOutcome.Hit, thirdOutcome);
    }

    [Fact]
    public void A_manifest_is_read_by_field_name_not_by_layout()
    {
        using (Open(out _)) { }
        string path = Path.Combine(SingleEntry(), "manifest.json");
        var fields = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        var reversed = new System.Text.Json.Nodes.JsonObject(fields.Reverse().Select(f => KeyValuePair.Create(f.Key, f.Value?.DeepClone())));
        File.WriteAllText(path, reversed.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));

        using var again = Open(out var outcome);
        Assert.Equal(OptimizedCacheOutcome.Hit, outcome);
    }

    [Theory]
    [InlineData("OrtVersion", "\"0.0.0\"")]      // another ORT wrote it
    [InlineData("WeightsSize", "\"1146920960\"")] // a number written as text
    [InlineData("SourceSize", "12")]              // the source changed size
    [InlineData("Cpu", "null")]
    [InlineData("Format", null)]                  // field missing
    public void A_manifest_field_that_does_not_match_rebuilds_the_copy(string field, string? json)
    {
        using (Open(out _)) { }
        string path = Path.Combine(SingleEntry(), "manifest.json");
        var fields = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        Assert.True(fields.ContainsKey(field), $"the manifest has no {field} field");
        if (json is null)
            fields.Remove(field);
        else
            fields[field] = System.Text.Json.Nodes.JsonNode.Parse(json);
        File.WriteAllText(path, fields.ToJsonString());

        using var again = Open(out var outcome);
        Assert.Equal(OptimizedCacheOutcome.Built, outcome);
        using var third = Open(out var thirdOutcome);
        Assert.Equal(OptimizedCacheOutcome.Hit, thirdOutcome);
    }

    [Fact]
    public async Task Loading_the_runtime_in_the_background_while_a_session_opens_is_safe()
    {
        var loading = OnnxCausalLM.StartLoadingRuntime();
        using (var session = Open(out _))
            Assert.NotEmpty(LastLogits(session));
        await loading.WaitAsync(TimeSpan.FromMinutes(1));
        Assert.True(loading.IsCompletedSuccessfully);
    }

    [Fact]
    public void A_changed_source_gets_a_new_copy_and_the_old_one_is_removed()
    {
        string dir = Path.Combine(_root, "src");
        Directory.CreateDirectory(dir);
        string copy = Path.Combine(dir, "model.onnx");
        File.Copy(Source, copy);
        using (OptimizedModelCache.CreateSession(copy, NewOptions, Path.Combine(_root, "cache"), 0, out var o1))
            Assert.Equal(OptimizedCacheOutcome.Built, o1);
        string before = Assert.Single(Directory.GetDirectories(Path.Combine(_root, "cache")));

        File.SetLastWriteTimeUtc(copy, DateTime.UtcNow.AddMinutes(1));
        using (OptimizedModelCache.CreateSession(copy, NewOptions, Path.Combine(_root, "cache"), 0, out var o2))
            Assert.Equal(OptimizedCacheOutcome.Built, o2);
        string after = Assert.Single(Directory.GetDirectories(Path.Combine(_root, "cache")));
        Assert.NotEqual(before, after);
    }

    [Fact]
    public void Small_sources_and_a_missing_root_bypass_the_cache()
    {
        using (OptimizedModelCache.CreateSession(Source, NewOptions, _root, long.MaxValue, out var small))
            Assert.Equal(OptimizedCacheOutcome.Bypassed, small);
        using (OptimizedModelCache.CreateSession(Source, NewOptions, null, 0, out var off))
            Assert.Equal(OptimizedCacheOutcome.Bypassed, off);
        Assert.False(Directory.Exists(_root));
    }

    [Fact]
    public void An_unwritable_cache_root_falls_back_to_the_source()
    {
        string file = Path.Combine(Path.GetTempPath(), "gptchat-cache-test-file-" + Guid.NewGuid().ToString("N"));
        File.WriteAllText(file, "a file where the cache folder should be");
        try
        {
            using var session = OptimizedModelCache.CreateSession(Source, NewOptions, Path.Combine(file, "optimized"), 0, out var outcome);
            Assert.Equal(OptimizedCacheOutcome.Bypassed, outcome);
            Assert.NotEmpty(LastLogits(session));
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>Runs the prompt with an empty past (inputs built from the session's metadata) and returns the last position's logits.</summary>
    private static float[] LastLogits(InferenceSession session)
    {
        var names = new List<string>();
        var values = new List<OrtValue>();
        try
        {
            foreach (var (name, meta) in session.InputMetadata)
            {
                names.Add(name);
                values.Add(name switch
                {
                    "input_ids" => OrtValue.CreateTensorValueFromMemory(Prompt, [1, Prompt.Length]),
                    "attention_mask" => OrtValue.CreateTensorValueFromMemory(Enumerable.Repeat(1L, Prompt.Length).ToArray(), [1, Prompt.Length]),
                    "position_ids" => OrtValue.CreateTensorValueFromMemory(Enumerable.Range(0, Prompt.Length).Select(i => (long)i).ToArray(), [1, Prompt.Length]),
                    "use_cache_branch" => OrtValue.CreateTensorValueFromMemory(new[] { false }, [1]),
                    _ => OrtValue.CreateTensorValueFromMemory(Array.Empty<float>(), [1, meta.Dimensions[1], 0, meta.Dimensions[3]]),
                });
            }
            using var outputs = session.Run(new RunOptions(), names, values, ["logits"]);
            var logits = outputs[0].GetTensorDataAsSpan<float>();
            int vocab = (int)outputs[0].GetTensorTypeAndShape().Shape[2];
            return logits.Slice(logits.Length - vocab, vocab).ToArray();
        }
        finally
        {
            foreach (var v in values) v.Dispose();
        }
    }

    private sealed class ToleranceComparer(float tolerance) : IEqualityComparer<float>
    {
        public bool Equals(float x, float y) => Math.Abs(x - y) <= tolerance;
        public int GetHashCode(float obj) => 0;
    }
}

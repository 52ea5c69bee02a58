using GptChat.Modeling;

namespace GptChat.Core.Tests.Modeling;

public class ModelLayoutTests
{
    private const string Merged = "onnx/decoder_model_merged.onnx";
    private const string Single = "onnx/model.onnx";
    private const string FirstStep = "onnx/decoder_model.onnx";
    private const string WithPast = "onnx/decoder_with_past_model.onnx";

    [Fact]
    public void Folder_with_every_layout_prefers_model_onnx()
    {
        using var model = OnnxCausalLM.Open(TestPaths.TinyModel, new ModelOpenOptions());
        Assert.Equal("single", model.LayoutName);
        Assert.Equal(Path.GetFullPath(Path.Combine(TestPaths.TinyModel, Single)), model.OnnxPath);
    }

    [Theory]
    [InlineData("single", Single, Merged, FirstStep, WithPast)]
    [InlineData("merged", Merged, FirstStep, WithPast)]
    [InlineData("single", Single, FirstStep, WithPast)]
    [InlineData("split", FirstStep, WithPast)]
    [InlineData("single", WithPast)]
    [InlineData("no-past", FirstStep)]
    public void Detects_the_layout_from_the_files_present(string expected, params string[] files)
    {
        using var folder = TempModelFolder.WithOnnx(files);
        using var model = OnnxCausalLM.Open(folder.Path, new ModelOpenOptions());
        Assert.Equal(expected, model.LayoutName);
        var decodeFile = expected == "split" ? WithPast : files[0];
        Assert.Equal(Path.Combine(folder.Path, decodeFile), model.OnnxPath);
    }

    [Fact]
    public void Model_onnx_at_the_folder_root_is_found()
    {
        using var folder = TempModelFolder.WithOnnx().Link(Single, "model.onnx");
        using var model = OnnxCausalLM.Open(folder.Path, new ModelOpenOptions());
        Assert.Equal("single", model.LayoutName);
        Assert.Equal(Path.Combine(folder.Path, "model.onnx"), model.OnnxPath);
    }

    [Fact]
    public void Split_pair_records_both_files()
    {
        using var folder = TempModelFolder.WithOnnx(FirstStep, WithPast);
        var files = ModelLayout.FindFiles(folder.Path, null);
        Assert.Equal(Path.Combine(folder.Path, WithPast), files.DecodePath);
        Assert.Equal(Path.Combine(folder.Path, FirstStep), files.FirstStepPath);
    }

    [Theory]
    [InlineData(Merged, "merged")]
    [InlineData(Single, "single")]
    [InlineData(WithPast, "single")]
    [InlineData(FirstStep, "no-past")]
    public void A_named_file_is_driven_as_its_inputs_say(string file, string expected)
    {
        using var model = OnnxCausalLM.Open(TestPaths.TinyModel, new ModelOpenOptions { OnnxFile = file });
        Assert.Equal(expected, model.LayoutName);
        Assert.Equal(Path.GetFullPath(Path.Combine(TestPaths.TinyModel, file)), model.OnnxPath);
    }

    [Fact]
    public void Variants_are_only_used_when_named()
    {
        using var folder = TempModelFolder.WithOnnx().Link(Single, "onnx/model_quantized.onnx");
        var e = Assert.Throws<GptChatException>(() => OnnxCausalLM.Open(folder.Path, new ModelOpenOptions()));
        Assert.Contains("onnx/decoder_model_merged.onnx", e.Message);
        Assert.Contains(Path.Combine("onnx", "model_quantized.onnx"), e.Message);

        using var model = OnnxCausalLM.Open(folder.Path, new ModelOpenOptions { OnnxFile = "onnx/model_quantized.onnx" });
        Assert.Equal("single", model.LayoutName);
    }

    [Fact]
    public void Folder_without_onnx_files_says_what_was_expected_and_found()
    {
        using var folder = TempModelFolder.WithOnnx();
        var e = Assert.Throws<GptChatException>(() => OnnxCausalLM.Open(folder.Path, new ModelOpenOptions()));
        Assert.Contains("onnx/decoder_model_merged.onnx", e.Message);
        Assert.Contains("onnx/model.onnx", e.Message);
        Assert.Contains("no .onnx file", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void Named_file_that_does_not_exist_is_reported()
    {
        var e = Assert.Throws<GptChatException>(() =>
            OnnxCausalLM.Open(TestPaths.TinyModel, new ModelOpenOptions { OnnxFile = "onnx/model_fp16.onnx" }));
        Assert.Contains("model_fp16.onnx", e.Message);
    }

    [Fact]
    public void Truncated_onnx_file_is_a_one_line_error()
    {
        using var folder = TempModelFolder.WithOnnx();
        var bytes = File.ReadAllBytes(Path.Combine(TestPaths.TinyModel, Single));
        folder.Write(Single, bytes[..(bytes.Length / 2)]);
        var e = Assert.Throws<GptChatException>(() => OnnxCausalLM.Open(folder.Path, new ModelOpenOptions()));
        Assert.Contains("model.onnx", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void Garbage_onnx_file_is_a_one_line_error()
    {
        using var folder = TempModelFolder.WithOnnx();
        folder.Write(Merged, "this is not a protobuf"u8.ToArray());
        var e = Assert.Throws<GptChatException>(() => OnnxCausalLM.Open(folder.Path, new ModelOpenOptions()));
        Assert.Contains("decoder_model_merged.onnx", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void Config_errors_surface_before_loading_onnx()
    {
        using var folder = new TempModelFolder();
        folder.Link(Single);
        var e = Assert.Throws<GptChatException>(() => OnnxCausalLM.Open(folder.Path, new ModelOpenOptions()));
        Assert.Contains("config.json", e.Message);
    }

    [Fact]
    public void Vocab_size_must_match_the_graph()
    {
        using var folder = new TempModelFolder();
        folder.Link(Single);
        folder.Write("config.json", """{"vocab_size": 50000, "n_positions": 256, "n_layer": 2, "n_head": 4, "n_embd": 32}""");
        var e = Assert.Throws<GptChatException>(() => OnnxCausalLM.Open(folder.Path, new ModelOpenOptions()));
        Assert.Contains("vocab_size", e.Message);
    }

    [Fact]
    public void Thread_count_must_be_positive()
    {
        var e = Assert.Throws<GptChatException>(() => OnnxCausalLM.Open(TestPaths.TinyModel, new ModelOpenOptions { IntraOpThreads = 0 }));
        Assert.Equal(2, e.ExitCode);
    }

    [Fact]
    public void An_absurd_thread_count_is_refused_before_onnx_runtime_starts_them()
    {
        var e = Assert.Throws<GptChatException>(() => OnnxCausalLM.Open(TestPaths.TinyModel, new ModelOpenOptions { IntraOpThreads = 100_000 }));
        Assert.Equal(2, e.ExitCode);
        Assert.Contains($"at most {4 * Environment.ProcessorCount}", e.Message);
    }
}

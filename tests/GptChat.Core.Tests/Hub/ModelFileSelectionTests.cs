using GptChat.Hub;

namespace GptChat.Core.Tests.Hub;

public sealed class ModelFileSelectionTests
{
    // What openai-community/gpt2 and Xenova/gpt2 hold (abridged to the names that matter).
    private static readonly string[] HubGpt2 =
    [
        "config.json", "generation_config.json", "merges.txt", "vocab.json", "tokenizer.json", "tokenizer_config.json", "README.md",
        "model.safetensors", "onnx/config.json", "onnx/decoder_model.onnx", "onnx/decoder_model_merged.onnx", "onnx/decoder_with_past_model.onnx",
        "onnx/decoder_model_quantized.onnx", "onnx/decoder_model_merged_quantized.onnx", "onnx/decoder_with_past_model_quantized.onnx",
        "onnx/decoder_model_merged_fp16.onnx",
    ];

    [Theory]
    [InlineData(null, "onnx/decoder_model_merged.onnx")]
    [InlineData("fp32", "onnx/decoder_model_merged.onnx")]
    [InlineData("quantized", "onnx/decoder_model_merged_quantized.onnx")]
    [InlineData("q8", "onnx/decoder_model_merged_quantized.onnx")]
    [InlineData("fp16", "onnx/decoder_model_merged_fp16.onnx")]
    public void The_merged_decoder_is_preferred_in_each_variant(string? variant, string expected)
    {
        var selection = ModelFileSelection.ForDownload(HubGpt2, variant, "gpt2");

        Assert.Equal(expected, selection.OnnxFile);
        Assert.Equal(["config.json", "generation_config.json", "vocab.json", "merges.txt", "tokenizer.json", "tokenizer_config.json", expected],
                     selection.Files);
    }

    [Theory]
    [InlineData(new[] { "onnx/model.onnx", "model.onnx" }, "onnx/model.onnx")]
    [InlineData(new[] { "model.onnx" }, "model.onnx")]
    [InlineData(new[] { "onnx/decoder_with_past_model.onnx" }, "onnx/decoder_with_past_model.onnx")]
    [InlineData(new[] { "onnx/decoder_model.onnx" }, "onnx/decoder_model.onnx")]
    public void Single_file_layouts_are_found_in_order(string[] files, string expected) =>
        Assert.Equal(expected, ModelFileSelection.ChooseOnnx(files, null, "repo").OnnxFile);

    [Fact]
    public void The_split_pair_is_fetched_whole_and_left_to_the_runner_to_detect()
    {
        var selection = ModelFileSelection.ChooseOnnx(["onnx/decoder_model.onnx", "onnx/decoder_with_past_model.onnx"], null, "repo");

        Assert.Equal(["onnx/decoder_model.onnx", "onnx/decoder_with_past_model.onnx"], selection.Files);
        Assert.Null(selection.OnnxFile);
    }

    [Fact]
    public void External_data_files_come_with_their_graph_only()
    {
        var selection = ModelFileSelection.ForDownload(
            ["config.json", "onnx/model.onnx", "onnx/model.onnx_data", "onnx/model.onnx_data_1", "onnx/model_fp16.onnx", "onnx/model_fp16.onnx_data"],
            null, "repo");

        Assert.Equal(["config.json", "onnx/model.onnx", "onnx/model.onnx_data", "onnx/model.onnx_data_1"], selection.Files);
    }

    [Fact]
    public void An_unknown_variant_lists_those_present()
    {
        var error = Assert.Throws<GptChatException>(() => ModelFileSelection.ChooseOnnx(HubGpt2, "q4", "gpt2"));

        Assert.Equal("gpt2 has no ONNX variant 'q4'; it has: fp32, fp16, quantized (choose one with --variant)", error.Message);
    }

    [Fact]
    public void A_repo_without_onnx_files_says_so()
    {
        var error = Assert.Throws<GptChatException>(() => ModelFileSelection.ForDownload(["config.json", "model.safetensors"], null, "org/pt-only"));
        Assert.Contains("org/pt-only has no ONNX model", error.Message);
    }

    [Fact]
    public void A_repo_without_config_is_not_a_model()
    {
        var error = Assert.Throws<GptChatException>(() => ModelFileSelection.ForDownload(["onnx/model.onnx"], null, "org/x"));
        Assert.Contains("no config.json", error.Message);
    }

    [Fact]
    public void A_malformed_variant_is_a_usage_error()
    {
        var error = Assert.Throws<GptChatException>(() => ModelFileSelection.ChooseOnnx(HubGpt2, "../x", "gpt2"));
        Assert.Equal(2, error.ExitCode);
    }
}

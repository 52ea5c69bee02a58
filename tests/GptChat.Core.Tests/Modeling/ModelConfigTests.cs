using GptChat.Modeling;

namespace GptChat.Core.Tests.Modeling;

public class ModelConfigTests
{
    private const string Gpt2Config = """
        {"model_type": "gpt2", "vocab_size": 50257, "n_positions": 1024, "n_layer": 12, "n_head": 12, "n_embd": 768,
         "bos_token_id": 50256, "eos_token_id": 50256}
        """;

    [Fact]
    public void Reads_the_tiny_model()
    {
        var config = ModelConfig.Load(TestPaths.TinyModel);
        Assert.Equal(new ModelConfig("gpt2", 50257, 256, 2, 4, 32, 50256, 50256), config);
    }

    [Fact]
    public void Missing_folder_is_named()
    {
        var missing = Path.Combine(Path.GetTempPath(), "no-such-model-" + Guid.NewGuid().ToString("N"));
        var e = Assert.Throws<GptChatException>(() => ModelConfig.Load(missing));
        Assert.Contains(missing, e.Message);
    }

    [Fact]
    public void Missing_config_json_is_named()
    {
        using var folder = new TempModelFolder();
        var e = Assert.Throws<GptChatException>(() => ModelConfig.Load(folder.Path));
        Assert.Contains("config.json", e.Message);
        Assert.Contains(folder.Path, e.Message);
    }

    [Fact]
    public void Config_inside_onnx_folder_is_used_when_the_folder_has_none()
    {
        using var folder = new TempModelFolder();
        folder.Write("onnx/config.json", Gpt2Config);
        Assert.Equal(1024, ModelConfig.Load(folder.Path).NPositions);
    }

    [Fact]
    public void Bad_json_names_the_file()
    {
        using var folder = new TempModelFolder();
        var path = folder.Write("config.json", "{\"vocab_size\": 50257,, }");
        var e = Assert.Throws<GptChatException>(() => ModelConfig.Load(folder.Path));
        Assert.Contains(path, e.Message);
        Assert.Contains("JSON", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void Json_that_is_not_an_object_is_rejected()
    {
        using var folder = new TempModelFolder();
        folder.Write("config.json", "[1, 2]");
        var e = Assert.Throws<GptChatException>(() => ModelConfig.Load(folder.Path));
        Assert.Contains("object", e.Message);
    }

    [Theory]
    [InlineData("vocab_size")]
    [InlineData("n_layer")]
    [InlineData("n_head")]
    [InlineData("n_embd")]
    public void Missing_required_field_is_named(string field)
    {
        using var folder = new TempModelFolder();
        var path = folder.Write("config.json", WithoutField(field));
        var e = Assert.Throws<GptChatException>(() => ModelConfig.Load(folder.Path));
        Assert.Contains(path, e.Message);
        Assert.Contains($"\"{field}\"", e.Message);
    }

    [Fact]
    public void Missing_context_length_is_named()
    {
        using var folder = new TempModelFolder();
        folder.Write("config.json", WithoutField("n_positions"));
        var e = Assert.Throws<GptChatException>(() => ModelConfig.Load(folder.Path));
        Assert.Contains("\"n_positions\"", e.Message);
    }

    [Theory]
    [InlineData("n_ctx")]
    [InlineData("max_position_embeddings")]
    public void Context_length_falls_back_to_older_names(string name)
    {
        using var folder = new TempModelFolder();
        folder.Write("config.json", WithoutField("n_positions").Replace("\"vocab_size\"", $"\"{name}\": 333, \"vocab_size\""));
        Assert.Equal(333, ModelConfig.Load(folder.Path).NPositions);
    }

    [Fact]
    public void N_positions_wins_over_n_ctx()
    {
        using var folder = new TempModelFolder();
        folder.Write("config.json", Gpt2Config.Replace("\"vocab_size\"", "\"n_ctx\": 333, \"vocab_size\""));
        Assert.Equal(1024, ModelConfig.Load(folder.Path).NPositions);
    }

    [Theory]
    [InlineData("\"1024\"")]
    [InlineData("-5")]
    [InlineData("0")]
    [InlineData("10.5")]
    [InlineData("true")]
    public void Wrongly_typed_field_is_named(string value)
    {
        using var folder = new TempModelFolder();
        folder.Write("config.json", Gpt2Config.Replace("\"n_positions\": 1024", $"\"n_positions\": {value}"));
        var e = Assert.Throws<GptChatException>(() => ModelConfig.Load(folder.Path));
        Assert.Contains("\"n_positions\"", e.Message);
        Assert.Contains(value, e.Message);
    }

    [Fact]
    public void N_embd_must_split_into_heads()
    {
        using var folder = new TempModelFolder();
        folder.Write("config.json", Gpt2Config.Replace("\"n_embd\": 768", "\"n_embd\": 770"));
        var e = Assert.Throws<GptChatException>(() => ModelConfig.Load(folder.Path));
        Assert.Contains("n_embd", e.Message);
    }

    [Fact]
    public void Generation_config_overrides_special_tokens()
    {
        using var folder = new TempModelFolder();
        folder.Write("config.json", Gpt2Config);
        folder.Write("generation_config.json", """{"bos_token_id": 7, "eos_token_id": [9, 10]}""");
        var config = ModelConfig.Load(folder.Path);
        Assert.Equal(7, config.BosTokenId);
        Assert.Equal(9, config.EosTokenId);
    }

    [Fact]
    public void Special_tokens_default_to_gpt2_end_of_text()
    {
        using var folder = new TempModelFolder();
        folder.Write("config.json", """{"vocab_size": 50257, "n_positions": 1024, "n_layer": 12, "n_head": 12, "n_embd": 768}""");
        var config = ModelConfig.Load(folder.Path);
        Assert.Equal(50256, config.BosTokenId);
        Assert.Equal(50256, config.EosTokenId);
    }

    [Fact]
    public void Bad_generation_config_names_that_file()
    {
        using var folder = new TempModelFolder();
        folder.Write("config.json", Gpt2Config);
        var path = folder.Write("generation_config.json", "{ eos");
        var e = Assert.Throws<GptChatException>(() => ModelConfig.Load(folder.Path));
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void Bad_token_id_is_named()
    {
        using var folder = new TempModelFolder();
        folder.Write("config.json", Gpt2Config);
        folder.Write("generation_config.json", """{"eos_token_id": "eos"}""");
        var e = Assert.Throws<GptChatException>(() => ModelConfig.Load(folder.Path));
        Assert.Contains("\"eos_token_id\"", e.Message);
    }

    private static string WithoutField(string field)
    {
        var text = Gpt2Config;
        var start = text.IndexOf($"\"{field}\"", StringComparison.Ordinal);
        var end = text.IndexOf(',', start);
        return text.Remove(start, end - start + 1);
    }
}

using System.Text.Json;

namespace GptChat.Modeling;

/// <summary>What GptChat reads from a model folder's config.json and generation_config.json.</summary>
/// <remarks>
/// Rules (Hugging Face <c>GPT2Config</c> semantics where they matter):
/// <list type="bullet">
/// <item>config.json is looked for in the folder, then in its <c>onnx/</c> subfolder (Hub repos keep a copy there);
/// generation_config.json next to the config.json that was used, else in the folder itself; it is optional.</item>
/// <item><c>vocab_size</c>, <c>n_layer</c>, <c>n_head</c>, <c>n_embd</c> are required positive integers.</item>
/// <item>The context length is <c>n_positions</c>; when that is absent, <c>max_position_embeddings</c> (the name
/// <c>GPT2Config.attribute_map</c> maps onto n_positions) and then the legacy <c>n_ctx</c> (old GPT-2 configs carry it
/// with the same value) are accepted. None of the three → error: guessing a context would let generation run past
/// the position table.</item>
/// <item>bos/eos: generation_config.json wins over config.json; a list (newer HF configs) gives its first id;
/// missing everywhere → 50256, GPT2Config's default.</item>
/// </list>
/// </remarks>
public sealed record ModelConfig(
    string ModelType, int VocabSize, int NPositions, int NLayer, int NHead, int NEmbd,
    int BosTokenId, int EosTokenId)
{
    private const int Gpt2EndOfText = 50256;

    /// <summary>Reads the folder's config files; throws <see cref="GptChatException"/> naming what is missing or wrong.</summary>
    public static ModelConfig Load(string modelFolder)
    {
        if (!Directory.Exists(modelFolder))
            throw new GptChatException($"model folder not found: {modelFolder}");

        var configPath = Path.Combine(modelFolder, "config.json");
        if (!File.Exists(configPath))
        {
            var inOnnx = Path.Combine(modelFolder, "onnx", "config.json");
            if (!File.Exists(inOnnx))
                throw new GptChatException($"missing config.json in {modelFolder} (a Hugging Face model folder holds one)");
            configPath = inOnnx;
        }

        using var config = ParseObject(configPath);
        var root = config.RootElement;
        var modelType = root.TryGetProperty("model_type", out var mt) && mt.ValueKind == JsonValueKind.String
            ? mt.GetString()! : "gpt2";
        var vocab = RequiredPositive(root, configPath, "vocab_size");
        var positions = ContextLength(root, configPath);
        var layers = RequiredPositive(root, configPath, "n_layer");
        var heads = RequiredPositive(root, configPath, "n_head");
        var embd = RequiredPositive(root, configPath, "n_embd");
        if (embd % heads != 0)
            throw new GptChatException($"{configPath}: \"n_embd\" ({embd}) is not a multiple of \"n_head\" ({heads})");

        var bos = OptionalTokenId(root, configPath, "bos_token_id");
        var eos = OptionalTokenId(root, configPath, "eos_token_id");

        var generationPath = Path.Combine(Path.GetDirectoryName(configPath)!, "generation_config.json");
        if (!File.Exists(generationPath))
            generationPath = Path.Combine(modelFolder, "generation_config.json");
        if (File.Exists(generationPath))
        {
            using var generation = ParseObject(generationPath);
            bos = OptionalTokenId(generation.RootElement, generationPath, "bos_token_id") ?? bos;
            eos = OptionalTokenId(generation.RootElement, generationPath, "eos_token_id") ?? eos;
        }

        return new ModelConfig(modelType, vocab, positions, layers, heads, embd,
            bos ?? Gpt2EndOfText, eos ?? Gpt2EndOfText);
    }

    private static JsonDocument ParseObject(string path)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllBytes(path),
                new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException e)
        {
            throw new GptChatException($"{path}: not valid JSON ({Messages.FirstLine(e.Message)})", 1, e);
        }
        catch (IOException e)
        {
            throw new GptChatException($"{path}: cannot read ({Messages.FirstLine(e.Message)})", 1, e);
        }
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            document.Dispose();
            throw new GptChatException($"{path}: expected a JSON object at the top level");
        }
        return document;
    }

    private static int ContextLength(JsonElement root, string path)
    {
        foreach (var name in new[] { "n_positions", "max_position_embeddings", "n_ctx" })
            if (root.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null)
                return Positive(value, path, name);
        throw new GptChatException($"{path}: missing \"n_positions\" (the context length; \"max_position_embeddings\" or \"n_ctx\" are accepted too)");
    }

    private static int RequiredPositive(JsonElement root, string path, string name)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            throw new GptChatException($"{path}: missing \"{name}\"");
        return Positive(value, path, name);
    }

    private static int Positive(JsonElement value, string path, string name)
    {
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var n) || n <= 0)
            throw new GptChatException($"{path}: \"{name}\" must be a positive integer, found {value.GetRawText()}");
        return n;
    }

    private static int? OptionalTokenId(JsonElement root, string path, string name)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            return null;
        var id = value;
        if (value.ValueKind == JsonValueKind.Array)
        {
            if (value.GetArrayLength() == 0)
                return null;
            id = value[0];
        }
        if (id.ValueKind != JsonValueKind.Number || !id.TryGetInt32(out var n) || n < 0)
            throw new GptChatException($"{path}: \"{name}\" must be a token id (a non-negative integer), found {value.GetRawText()}");
        return n;
    }
}

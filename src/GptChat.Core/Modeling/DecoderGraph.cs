using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace GptChat.Modeling;

/// <summary>
/// One loaded ONNX decoder and what its inputs and outputs are, read from the session's metadata
/// (names, element types, fixed dimensions) rather than assumed, so Hub exports of any vintage,
/// float16 variants and ORT's own exporter (int32 ids, stacked past) all work.
/// </summary>
internal sealed class DecoderGraph : IDisposable
{
    public const string InputIds = "input_ids";
    public const string AttentionMask = "attention_mask";
    public const string PositionIds = "position_ids";
    public const string UseCacheBranch = "use_cache_branch";
    public const string Logits = "logits";

    private DecoderGraph(string path, InferenceSession session)
    {
        Path = path;
        Session = session;
    }

    public string Path { get; }
    public InferenceSession Session { get; }

    public TensorElementType IdsType { get; private set; }
    /// <summary>Null when the graph takes no attention mask.</summary>
    public TensorElementType? MaskType { get; private set; }
    /// <summary>Null when the graph derives positions itself (the Hub's 2023 merged files).</summary>
    public TensorElementType? PositionsType { get; private set; }
    /// <summary>The merged decoder's If switch: false on the first call, true once there is a cache.</summary>
    public bool HasUseCacheBranch { get; private set; }
    /// <summary>The past inputs with their present outputs; empty for a graph without a cache.</summary>
    public IReadOnlyList<CacheTensor> Past { get; private set; } = [];
    public TensorElementType LogitsType { get; private set; }

    public bool HasPast => Past.Count > 0;

    /// <summary>Loads <paramref name="path"/>; a missing, truncated or foreign file gives a one-line <see cref="GptChatException"/>.</summary>
    /// <param name="makeOptions">Returns fresh session options on each call (the caller's settings); they are disposed after use.</param>
    public static DecoderGraph Load(string path, Func<SessionOptions> makeOptions, ModelConfig config)
    {
        if (!File.Exists(path))
            throw new GptChatException($"ONNX file not found: {path}");
        InferenceSession session;
        try
        {
            // Large models load from an ORT-optimised copy; the cache falls back to the source on any cache
            // problem, so an OnnxRuntimeException here means the source file itself is bad.
            // The token embedding is read one row per token: tell the OS so (see RandomAccessPages).
            session = OptimizedModelCache.CreateSession(path, makeOptions, randomAccessBytes: (long)config.VocabSize * config.NEmbd * sizeof(float));
        }
        catch (OnnxRuntimeException e)
        {
            throw new GptChatException($"cannot load {path}: {Messages.FirstLine(e.Message)}", 1, e);
        }

        var graph = new DecoderGraph(path, session);
        try
        {
            graph.ReadSignature(config);
            return graph;
        }
        catch
        {
            graph.Dispose();
            throw;
        }
    }

    /// <summary>The output a graph without past inputs (e.g. decoder_model.onnx) writes for <paramref name="tensor"/>, checked to match.</summary>
    public bool Produces(CacheTensor tensor)
    {
        if (!Session.OutputMetadata.TryGetValue(tensor.PresentName, out var meta))
            return false;
        return meta.IsTensor && meta.ElementDataType == tensor.ElementType && meta.Dimensions.Length == tensor.Template.Length;
    }

    private void ReadSignature(ModelConfig config)
    {
        var file = System.IO.Path.GetFileName(Path);
        var past = new List<CacheTensor>();
        var sawIds = false;
        foreach (var (name, meta) in Session.InputMetadata)
        {
            switch (name)
            {
                case InputIds:
                    IdsType = IntegerInput(file, name, meta);
                    sawIds = true;
                    break;
                case AttentionMask:
                    MaskType = IntegerInput(file, name, meta);
                    break;
                case PositionIds:
                    PositionsType = IntegerInput(file, name, meta);
                    break;
                case UseCacheBranch:
                    if (meta.ElementDataType != TensorElementType.Bool)
                        throw new GptChatException($"{file}: input \"{name}\" is {ElementTypes.Name(meta.ElementDataType)}, expected bool");
                    HasUseCacheBranch = true;
                    break;
                default:
                    if (!name.StartsWith("past", StringComparison.Ordinal))
                        throw new GptChatException($"{file}: unexpected input \"{name}\" (a GPT-2 decoder takes input_ids, attention_mask, position_ids, past_key_values.* and use_cache_branch)");
                    past.Add(PastInput(file, name, meta, config));
                    break;
            }
        }
        if (!sawIds)
            throw new GptChatException($"{file}: no \"{InputIds}\" input; this is not a GPT-2 decoder graph (inputs: {string.Join(", ", Session.InputNames)})");
        if (HasUseCacheBranch && past.Count == 0)
            throw new GptChatException($"{file}: has \"{UseCacheBranch}\" but no past_key_values inputs");

        if (!Session.OutputMetadata.TryGetValue(Logits, out var logits))
            throw new GptChatException($"{file}: no \"{Logits}\" output (outputs: {string.Join(", ", Session.OutputNames)})");
        if (logits.ElementDataType is not (TensorElementType.Float or TensorElementType.Float16))
            throw new GptChatException($"{file}: \"{Logits}\" is {ElementTypes.Name(logits.ElementDataType)}; float32 or float16 expected");
        LogitsType = logits.ElementDataType;

        Past = past;
    }

    private static TensorElementType IntegerInput(string file, string name, NodeMetadata meta)
    {
        if (meta.ElementDataType is not (TensorElementType.Int64 or TensorElementType.Int32))
            throw new GptChatException($"{file}: input \"{name}\" is {ElementTypes.Name(meta.ElementDataType)}; int64 or int32 expected");
        if (meta.Dimensions.Length != 2)
            throw new GptChatException($"{file}: input \"{name}\" has rank {meta.Dimensions.Length}; [batch, sequence] expected");
        return meta.ElementDataType;
    }

    private CacheTensor PastInput(string file, string name, NodeMetadata meta, ModelConfig config)
    {
        if (meta.ElementDataType is not (TensorElementType.Float or TensorElementType.Float16 or TensorElementType.BFloat16))
            throw new GptChatException($"{file}: input \"{name}\" is {ElementTypes.Name(meta.ElementDataType)}; a float cache expected");

        var present = PresentFor(name);
        if (present is null)
            throw new GptChatException($"{file}: input \"{name}\" has no matching present output (outputs: {string.Join(", ", Session.OutputNames)})");
        var presentMeta = Session.OutputMetadata[present];
        if (presentMeta.ElementDataType != meta.ElementDataType || presentMeta.Dimensions.Length != meta.Dimensions.Length)
            throw new GptChatException($"{file}: output \"{present}\" does not match input \"{name}\" in type or rank");

        // Hub exports: [batch, heads, past, head_size]; ORT's transformers exporter stacks K and V: [2, batch, heads, past, head_size].
        var dims = meta.Dimensions;
        var headSize = config.NEmbd / config.NHead;
        long Fixed(int axis, int fallback) => dims[axis] > 0 ? dims[axis] : fallback;
        return dims.Length switch
        {
            4 => new CacheTensor(name, present, meta.ElementDataType,
                [0, Fixed(1, config.NHead), 0, Fixed(3, headSize)], BatchAxis: 0, SequenceAxis: 2),
            5 => new CacheTensor(name, present, meta.ElementDataType,
                [Fixed(0, 2), 0, Fixed(2, config.NHead), 0, Fixed(4, headSize)], BatchAxis: 1, SequenceAxis: 3),
            _ => throw new GptChatException($"{file}: input \"{name}\" has rank {dims.Length}; [batch, heads, past, head_size] expected"),
        };
    }

    /// <summary>past_key_values.0.key → present.0.key; past_0 → present_0; past_key_values_0_key → present_key_values_0_key.</summary>
    private string? PresentFor(string pastName)
    {
        string[] candidates =
        [
            pastName.Replace("past_key_values", "present", StringComparison.Ordinal),
            "present" + pastName["past".Length..],
        ];
        foreach (var candidate in candidates)
            if (Session.OutputMetadata.ContainsKey(candidate))
                return candidate;
        return null;
    }

    public void Dispose() => Session.Dispose();
}

using System.Text.RegularExpressions;

namespace GptChat.Hub;

/// <summary>Which files of a repo (or a cache snapshot, or a local folder) make the model to run.</summary>
/// <param name="Files">Every file to fetch, relative, with '/' separators.</param>
/// <param name="OnnxFile">The ONNX file the runner should open; null = let it detect the layout (the split decoder pair).</param>
internal sealed partial record ModelFileSelection(IReadOnlyList<string> Files, string? OnnxFile)
{
    // Single-file layouts in order of preference: the Hub's 2023 merged decoder (openai-community/gpt2, Xenova/gpt2),
    // then the current optimum / onnx-community single file, at the usual onnx/ place or at the repo root.
    private static readonly string[] SingleFileStems = ["onnx/decoder_model_merged", "onnx/model", "decoder_model_merged", "model"];

    // Files besides the ONNX ones: required config, then whatever of generation config and tokenizer the repo has.
    private static readonly string[] OptionalFiles =
    [
        "generation_config.json", "vocab.json", "merges.txt", "tokenizer.json", "tokenizer_config.json",
        "special_tokens_map.json", "added_tokens.json",
    ];

    /// <summary>The ONNX file(s) for <paramref name="variant"/> (null or "fp32" = no suffix) among <paramref name="files"/>.</summary>
    public static ModelFileSelection ChooseOnnx(IReadOnlyCollection<string> files, string? variant, string where)
    {
        var suffix = VariantSuffix(variant);
        var present = new HashSet<string>(files, StringComparer.Ordinal);
        foreach (var stem in SingleFileStems)
            if (present.Contains(stem + suffix + ".onnx"))
                return new ModelFileSelection([stem + suffix + ".onnx"], stem + suffix + ".onnx");

        foreach (var dir in new[] { "onnx/", "" })
        {
            string first = $"{dir}decoder_model{suffix}.onnx", withPast = $"{dir}decoder_with_past_model{suffix}.onnx";
            if (present.Contains(first) && present.Contains(withPast))
                // The runner detects the pair by its fp32 names; for another variant the with-past file alone runs a
                // whole generation (it accepts an empty past), so name it.
                return new ModelFileSelection([first, withPast], suffix.Length == 0 ? null : withPast);
            if (present.Contains(withPast))
                return new ModelFileSelection([withPast], withPast);
            if (present.Contains(first))
                return new ModelFileSelection([first], first);
        }

        var available = AvailableVariants(files);
        if (available.Count == 0)
            throw new GptChatException($"{where} has no ONNX model (looked for onnx/decoder_model_merged.onnx, onnx/model.onnx, model.onnx, onnx/decoder_model.onnx); use a repo with an ONNX export, e.g. Xenova/gpt2");
        throw new GptChatException($"{where} has no ONNX variant '{variant ?? "fp32"}'; it has: {string.Join(", ", available)} (choose one with --variant)");
    }

    /// <summary>
    /// Everything to download: config.json (required), the chosen ONNX file(s) with their external-data files,
    /// the generation config and tokenizer files the repo has.
    /// </summary>
    public static ModelFileSelection ForDownload(IReadOnlyCollection<string> files, string? variant, string where)
    {
        var onnx = ChooseOnnx(files, variant, where);
        if (!files.Contains("config.json"))
            throw new GptChatException($"{where} has no config.json, so it is not a transformers model repo");
        var chosen = new List<string> { "config.json" };
        chosen.AddRange(OptionalFiles.Where(files.Contains));
        foreach (var onnxFile in onnx.Files)
        {
            chosen.Add(onnxFile);
            // Weights over 2 GB live next to the graph: model.onnx_data, model.onnx_data_1, … or model.onnx.data.
            chosen.AddRange(files.Where(f => f == onnxFile + "_data" || f == onnxFile + ".data"
                                             || f.StartsWith(onnxFile + "_data_", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        }
        return onnx with { Files = chosen };
    }

    /// <summary>Variant names present among <paramref name="files"/> ("fp32" for the unsuffixed ones), in a stable order.</summary>
    public static IReadOnlyList<string> AvailableVariants(IEnumerable<string> files) =>
        files.Select(f => OnnxNamePattern().Match(f)).Where(m => m.Success)
             .Select(m => m.Groups["variant"].Success ? m.Groups["variant"].Value : "fp32")
             .Distinct(StringComparer.Ordinal).OrderBy(v => v == "fp32" ? "" : v, StringComparer.Ordinal).ToList();

    // transformers.js dtype names map onto the file suffixes: fp32 = none, q8 = _quantized; others are the suffix itself.
    private static string VariantSuffix(string? variant)
    {
        if (variant is null or "" or "fp32")
            return "";
        if (variant == "q8")
            return "_quantized";
        if (!VariantPattern().IsMatch(variant))
            throw new GptChatException($"invalid --variant '{variant}': use a name such as quantized, fp16, q4, int8, uint8, bnb4", exitCode: 2);
        return "_" + variant;
    }

    [GeneratedRegex(@"^(?:onnx/)?(?:decoder_model_merged|model|decoder_model|decoder_with_past_model)(?:_(?<variant>[a-z0-9]+))?\.onnx$")]
    private static partial Regex OnnxNamePattern();

    [GeneratedRegex(@"^[a-z0-9]+$")]
    private static partial Regex VariantPattern();
}

using Microsoft.ML.OnnxRuntime;

namespace GptChat.Modeling;

/// <summary>
/// Which ONNX file(s) of a model folder run the prompt and which run the later steps.
/// </summary>
/// <remarks>
/// Detection prefers, in each of <c>onnx/</c> and the folder itself: model.onnx (current exports), then
/// decoder_model_merged.onnx (Hub GPT-2, 2023), then the pair decoder_model.onnx + decoder_with_past_model.onnx,
/// then decoder_with_past_model.onnx alone (it accepts an empty past), then decoder_model.onnx alone (no cache:
/// recompute). model.onnx comes first because it gives the same logits with half the memory: ORT pre-packs the
/// merged file's shared weights once per If branch (bench helper: 991 vs 1,492 MB peak for GPT-2 124M). Quantized / fp16 variants are never picked by detection: the caller names one with
/// <see cref="ModelOpenOptions.OnnxFile"/>, and the layout of a named file is read from its inputs.
/// </remarks>
internal sealed class ModelLayout : IDisposable
{
    private const string MergedFile = "decoder_model_merged.onnx";
    private const string SingleFile = "model.onnx";
    private const string FirstStepFile = "decoder_model.onnx";
    private const string WithPastFile = "decoder_with_past_model.onnx";

    private ModelLayout(ModelLayoutKind kind, DecoderGraph prefillGraph, DecoderGraph decodeGraph)
    {
        Kind = kind;
        PrefillGraph = prefillGraph;
        DecodeGraph = decodeGraph;
    }

    public ModelLayoutKind Kind { get; }
    /// <summary>Runs the prompt (the same graph as <see cref="DecodeGraph"/> except for <see cref="ModelLayoutKind.Split"/>).</summary>
    public DecoderGraph PrefillGraph { get; }
    /// <summary>Runs every later step.</summary>
    public DecoderGraph DecodeGraph { get; }

    /// <summary>A short name for banners and benchmarks.</summary>
    public string Name => Kind switch
    {
        ModelLayoutKind.Merged => "merged",
        ModelLayoutKind.Single => "single",
        ModelLayoutKind.Split => "split",
        _ => "no-past",
    };

    /// <summary>The file chosen to run the later steps, and for a split pair the first-step file.</summary>
    public sealed record Files(string DecodePath, string? FirstStepPath);

    /// <summary>Picks the file(s) by name only; throws a one-line <see cref="GptChatException"/> when none fits.</summary>
    public static Files FindFiles(string modelFolder, string? onnxFile)
    {
        if (onnxFile is not null)
        {
            var path = Path.GetFullPath(Path.Combine(modelFolder, onnxFile));
            if (!File.Exists(path))
                throw new GptChatException($"ONNX file not found: {path}");
            return new Files(path, null);
        }

        string[] folders = [Path.Combine(modelFolder, "onnx"), modelFolder];
        string? Find(string name) => folders.Select(f => Path.Combine(f, name)).FirstOrDefault(File.Exists);

        if (Find(SingleFile) is { } single)
            return new Files(Path.GetFullPath(single), null);
        if (Find(MergedFile) is { } merged)
            return new Files(Path.GetFullPath(merged), null);
        foreach (var folder in folders)
        {
            var first = Path.Combine(folder, FirstStepFile);
            var withPast = Path.Combine(folder, WithPastFile);
            if (File.Exists(first) && File.Exists(withPast))
                return new Files(Path.GetFullPath(withPast), Path.GetFullPath(first));
        }
        if (Find(WithPastFile) is { } withPastOnly)
            return new Files(Path.GetFullPath(withPastOnly), null);
        if (Find(FirstStepFile) is { } noPast)
            return new Files(Path.GetFullPath(noPast), null);

        var found = folders.Where(Directory.Exists)
            .SelectMany(f => Directory.EnumerateFiles(f, "*.onnx"))
            .Select(f => Path.GetRelativePath(modelFolder, f))
            .Order(StringComparer.Ordinal)
            .ToList();
        var foundText = found.Count == 0 ? "no .onnx file" : string.Join(", ", found) + " (name one of them as the ONNX file to use)";
        throw new GptChatException(
            $"no ONNX decoder in {modelFolder}: expected onnx/{SingleFile} (or {SingleFile}), onnx/{MergedFile}, " +
            $"or onnx/{FirstStepFile} with onnx/{WithPastFile}; found {foundText}");
    }

    /// <summary>Finds and loads the graphs and works out how to drive them from their inputs.</summary>
    public static ModelLayout Open(string modelFolder, string? onnxFile, Func<SessionOptions> makeSessionOptions, ModelConfig config)
    {
        var files = FindFiles(modelFolder, onnxFile);
        var decode = DecoderGraph.Load(files.DecodePath, makeSessionOptions, config);
        try
        {
            if (files.FirstStepPath is null)
            {
                var kind = decode.HasUseCacheBranch ? ModelLayoutKind.Merged
                    : decode.HasPast ? ModelLayoutKind.Single
                    : ModelLayoutKind.NoPast;
                return new ModelLayout(kind, decode, decode);
            }

            if (!decode.HasPast)
                throw new GptChatException($"{Path.GetFileName(files.DecodePath)}: no past_key_values inputs, so it cannot continue a cached sequence");
            var first = DecoderGraph.Load(files.FirstStepPath, makeSessionOptions, config);
            var missing = decode.Past.FirstOrDefault(t => !first.Produces(t));
            if (missing is not null)
            {
                first.Dispose();
                throw new GptChatException($"{Path.GetFileName(files.FirstStepPath)}: no output \"{missing.PresentName}\" matching {Path.GetFileName(files.DecodePath)}'s input \"{missing.PastName}\"");
            }
            return new ModelLayout(ModelLayoutKind.Split, first, decode);
        }
        catch
        {
            decode.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        if (!ReferenceEquals(PrefillGraph, DecodeGraph))
            PrefillGraph.Dispose();
        DecodeGraph.Dispose();
    }
}

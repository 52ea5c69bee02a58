using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Microsoft.ML.OnnxRuntime;

namespace GptChat.Modeling;

/// <summary>How a session was created by <see cref="OptimizedModelCache"/>.</summary>
internal enum OptimizedCacheOutcome
{
    /// <summary>Loaded from a fresh cached copy (the fast path).</summary>
    Hit,
    /// <summary>No usable copy: one was built from the source and then loaded.</summary>
    Built,
    /// <summary>The cache was off or could not be used; the source was loaded as it is.</summary>
    Bypassed,
}

/// <summary>
/// Creates ONNX Runtime sessions through a cache of ORT-optimised copies of the model.
/// Why: parsing and optimising a 500 MB GPT-2 graph takes 1.5–7 s on every start, while ORT's own saved
/// copy (graph already optimised at ORT_ENABLE_EXTENDED, weights in one external file that ORT memory-maps, stored
/// both as they are and pre-packed for the MatMul kernels) loads in about 0.5 s, and the weights stay file-backed
/// pages instead of a private pre-packed copy.
/// Layout: <c>$GPTCHAT_CACHE_DIR</c>, else <c>$XDG_CACHE_HOME/gptchat/optimized</c>, else
/// <c>~/.cache/gptchat/optimized</c>; one folder per source file version, named by a hash of the source's
/// full path, size, modification time, ORT version and the cache format. A folder is built under a temporary
/// name and renamed into place, so a reader never sees half a copy; <c>manifest.json</c> records the sizes
/// so a truncated copy is detected. Anything wrong with the cache rebuilds it or falls back to the source:
/// it can cost time, never correctness. <c>GPTCHAT_OPTIMIZED_CACHE=0</c> turns it off.
/// </summary>
internal static class OptimizedModelCache
{
    private const string FormatTag = "ort-extended-extinit-prepacked-v2";
    private const string ModelFileName = "model.onnx";
    private const string WeightsFileName = "weights.bin";
    private const string ManifestFileName = "manifest.json";

    /// <summary>The cache root in use (see the class summary), or null when the cache is turned off.</summary>
    public static string? DefaultRoot
    {
        get
        {
            string? off = Environment.GetEnvironmentVariable("GPTCHAT_OPTIMIZED_CACHE");
            if (off is "0" or "false" or "off") return null;
            string? explicitDir = Environment.GetEnvironmentVariable("GPTCHAT_CACHE_DIR");
            if (!string.IsNullOrEmpty(explicitDir)) return Path.Combine(explicitDir, "optimized");
            string? xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
            if (!string.IsNullOrEmpty(xdg)) return Path.Combine(xdg, "gptchat", "optimized");
            string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            return string.IsNullOrEmpty(home) ? null : Path.Combine(home, ".cache", "gptchat", "optimized");
        }
    }

    /// <summary>
    /// Creates a session for <paramref name="onnxPath"/>, through the cache when it can.
    /// <paramref name="newOptions"/> must return fresh options each call (threads, providers, …); this
    /// method sets the optimisation level and the cache's config entries on them.
    /// </summary>
    /// <param name="onnxPath">The source model.</param>
    /// <param name="newOptions">Fresh session options per call.</param>
    /// <param name="randomAccessBytes">
    /// Size in bytes of weights that are read row by row at random (the token embedding, vocab × n_embd × 4);
    /// their mapped pages get <see cref="RandomAccessPages"/> advice. 0 = none.
    /// </param>
    public static InferenceSession CreateSession(string onnxPath, Func<SessionOptions> newOptions, long randomAccessBytes = 0)
    {
        // Read once: the advice below must name the same entry the session was loaded from.
        var root = DefaultRoot;
        var session = CreateSession(onnxPath, newOptions, root, DefaultMinSourceBytes, out var outcome);
        LastOutcome = outcome;
        // After loading, not before: session creation itself ran 250–300 ms slower with the fixed threshold.
        MallocPolicy.ReturnLargeBlocksToOs();
        if (outcome != OptimizedCacheOutcome.Bypassed && randomAccessBytes > 0 && root is not null)
            RandomAccessPages.Advise(Path.Combine(root, EntryName(new FileInfo(Path.GetFullPath(onnxPath))), WeightsFileName), randomAccessBytes);
        return session;
    }

    /// <summary>
    /// Loads the ONNX Runtime library, creates its environment and reads the CPU fingerprint: everything
    /// <see cref="CreateSession(string, Func{SessionOptions}, long)"/> needs before it can look at a copy.
    /// Why: <see cref="OnnxCausalLM.StartLoadingRuntime"/> runs this on another core while the caller is still
    /// parsing its command line and the model's config (the library alone is 25 MB to map and relocate).
    /// </summary>
    internal static void LoadRuntime() => _ = OrtVersion;

    /// <summary>What the latest <see cref="CreateSession(string, Func{SessionOptions})"/> of this process did (for <c>gptchat bench</c>).</summary>
    public static OptimizedCacheOutcome? LastOutcome { get; internal set; }

    /// <summary>Smaller models load in well under a second from the source: a copy would only take disk space.</summary>
    public const long DefaultMinSourceBytes = 16L << 20;

    /// <inheritdoc cref="CreateSession(string, Func{SessionOptions})"/>
    /// <param name="cacheRoot">Where copies live; null = no cache.</param>
    /// <param name="minSourceBytes">Sources smaller than this are loaded directly.</param>
    /// <param name="outcome">Whether the copy was used, built or bypassed.</param>
    public static InferenceSession CreateSession(
        string onnxPath, Func<SessionOptions> newOptions, string? cacheRoot, long minSourceBytes, out OptimizedCacheOutcome outcome)
    {
        onnxPath = Path.GetFullPath(onnxPath);
        var source = new FileInfo(onnxPath);
        // Models with their own external data, and small models, load fast already: not worth a copy.
        if (cacheRoot is null || !source.Exists || source.Length < minSourceBytes || HasOwnExternalData(onnxPath))
            return Bypass(onnxPath, newOptions, out outcome);

        string entry = Path.Combine(cacheRoot, EntryName(source));
        var cached = TryLoad(entry, source, newOptions);
        if (cached is not null)
        {
            outcome = OptimizedCacheOutcome.Hit;
            return cached;
        }

        try
        {
            Build(entry, source, newOptions);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or OnnxRuntimeException)
        {
            // Read-only or full disk, or ORT could not save: run from the source.
            return Bypass(onnxPath, newOptions, out outcome);
        }
        cached = TryLoad(entry, source, newOptions);
        if (cached is not null)
        {
            outcome = OptimizedCacheOutcome.Built;
            return cached;
        }
        return Bypass(onnxPath, newOptions, out outcome);
    }

    private static InferenceSession Bypass(string onnxPath, Func<SessionOptions> newOptions, out OptimizedCacheOutcome outcome)
    {
        outcome = OptimizedCacheOutcome.Bypassed;
        using var options = newOptions();
        options.GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL;
        return new InferenceSession(onnxPath, options);
    }

    /// <summary>The folder name of one source version: a hash of everything that invalidates a copy.</summary>
    internal static string EntryName(FileInfo source)
    {
        string key = string.Join("\n",
            FormatTag,
            source.FullName,
            source.Length.ToString(CultureInfo.InvariantCulture),
            source.LastWriteTimeUtc.Ticks.ToString(CultureInfo.InvariantCulture),
            OrtVersion,
            CpuFingerprint);
        // FNV-1a: a name, not a security boundary; avoids loading OpenSSL (3 MiB resident) just for this.
        ulong hash = 14695981039346656037UL;
        foreach (byte b in Encoding.UTF8.GetBytes(key))
            hash = (hash ^ b) * 1099511628211UL;
        string stem = Path.GetFileNameWithoutExtension(source.Name);
        return stem + "-" + hash.ToString("x16", CultureInfo.InvariantCulture);
    }

    private static string OrtVersion { get; } = QuietEnvironment().GetVersionString();

    /// <summary>The process's ORT environment, logging only fatal errors (see the session options' log level).</summary>
    private static OrtEnv QuietEnvironment()
    {
        var env = OrtEnv.Instance();
        env.EnvLogLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL;
        return env;
    }

    /// <summary>
    /// Pre-packed weights are laid out for the kernels this CPU runs, so a copy is only reused on the same kind
    /// of CPU (a home folder shared between machines gets one copy per CPU model).
    /// </summary>
    private static string CpuFingerprint { get; } = string.Join(",",
        RuntimeInformation.ProcessArchitecture,
        CpuModelName(),
        System.Runtime.Intrinsics.X86.Avx512F.IsSupported,
        System.Runtime.Intrinsics.X86.Avx2.IsSupported,
        System.Runtime.Intrinsics.X86.Fma.IsSupported,
        System.Runtime.Intrinsics.Arm.AdvSimd.IsSupported);

    private static string CpuModelName()
    {
        try
        {
            foreach (string line in File.ReadLines("/proc/cpuinfo"))
                if (line.StartsWith("model name", StringComparison.Ordinal) || line.StartsWith("CPU part", StringComparison.Ordinal))
                    return line[(line.IndexOf(':') + 1)..].Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
        return "";
    }

    /// <summary>Loads a complete, matching copy; a missing one returns null, a broken one is deleted and returns null.</summary>
    private static InferenceSession? TryLoad(string entry, FileInfo source, Func<SessionOptions> newOptions)
    {
        if (!Directory.Exists(entry)) return null;
        string model = Path.Combine(entry, ModelFileName);
        try
        {
            var manifest = ReadManifest(Path.Combine(entry, ManifestFileName));
            if (manifest is null
                || manifest.Format != FormatTag
                || manifest.Source != source.FullName
                || manifest.SourceSize != source.Length
                || manifest.SourceMtimeTicks != source.LastWriteTimeUtc.Ticks
                || manifest.OrtVersion != OrtVersion
                || manifest.Cpu != CpuFingerprint
                || new FileInfo(model).Length != manifest.ModelSize
                || new FileInfo(Path.Combine(entry, WeightsFileName)).Length != manifest.WeightsSize)
            {
                TryDelete(entry);
                return null;
            }
            using var options = newOptions();
            // The graph is already optimised; running the optimisers again would only cost load time.
            options.GraphOptimizationLevel = GraphOptimizationLevel.ORT_DISABLE_ALL;
            return new InferenceSession(model, options);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or OnnxRuntimeException)
        {
            TryDelete(entry);
            return null;
        }
    }

    /// <summary>Has ORT write the optimised copy into a temporary folder, then renames it into place.</summary>
    private static void Build(string entry, FileInfo source, Func<SessionOptions> newOptions)
    {
        string root = Path.GetDirectoryName(entry)!;
        Directory.CreateDirectory(root);
        RemoveOtherVersions(root, source);
        string temp = Path.Combine(root, "." + Path.GetFileName(entry) + ".tmp-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(temp);
        try
        {
            string model = Path.Combine(temp, ModelFileName);
            using (var options = newOptions())
            {
                // EXTENDED, not ALL: ALL adds layout changes that tie the copy to this CPU.
                options.GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_EXTENDED;
                options.OptimizedModelFilePath = model;
                options.AddSessionConfigEntry("session.optimized_model_external_initializers_file_name", WeightsFileName);
                options.AddSessionConfigEntry("session.optimized_model_external_initializers_min_size_in_bytes", "1024");
                // Also store the weights as the MatMul kernels pre-pack them: a later load maps them from the file
                // instead of packing a private copy (peak RSS 699 → 603 MB on GPT-2 124M, same speed).
                options.AddSessionConfigEntry("session.save_external_prepacked_constant_initializers", "1");
                using var session = new InferenceSession(source.FullName, options);
            }
            string weights = Path.Combine(temp, WeightsFileName);
            if (!File.Exists(weights))
                throw new IOException("ORT wrote no external weights file");
            var manifest = new Manifest
            {
                Format = FormatTag,
                Source = source.FullName,
                SourceSize = source.Length,
                SourceMtimeTicks = source.LastWriteTimeUtc.Ticks,
                OrtVersion = OrtVersion,
                Cpu = CpuFingerprint,
                ModelSize = new FileInfo(model).Length,
                WeightsSize = new FileInfo(weights).Length,
            };
            File.WriteAllText(Path.Combine(temp, ManifestFileName), JsonSerializer.Serialize(manifest));
            RandomAccessPages.DropFromPageCache(weights);
            if (Directory.Exists(entry)) TryDelete(entry); // a broken copy left by TryLoad's caller
            try
            {
                Directory.Move(temp, entry);
            }
            catch (IOException) when (Directory.Exists(entry))
            {
                // Another process finished the same copy first; theirs is as good.
            }
        }
        finally
        {
            TryDelete(temp);
        }
    }

    /// <summary>Deletes the copies of older versions of the same source file, so the cache does not grow per edit.</summary>
    private static void RemoveOtherVersions(string root, FileInfo source)
    {
        foreach (string dir in Directory.EnumerateDirectories(root))
        {
            string name = Path.GetFileName(dir);
            if (name.StartsWith('.')) continue;
            try
            {
                var manifest = ReadManifest(Path.Combine(dir, ManifestFileName));
                if (manifest?.Source == source.FullName) TryDelete(dir);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
            {
                // Not ours to judge: leave it.
            }
        }
    }

    /// <summary>True when the model keeps its weights in separate files (then ORT maps them already, and a copy would duplicate them).</summary>
    private static bool HasOwnExternalData(string onnxPath)
    {
        string dir = Path.GetDirectoryName(onnxPath)!;
        string name = Path.GetFileName(onnxPath);
        return File.Exists(Path.Combine(dir, name + "_data")) || File.Exists(Path.Combine(dir, name + ".data"));
    }

    private static void TryDelete(string dir)
    {
        try
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }

    /// <summary>
    /// Reads a manifest with <see cref="JsonDocument"/>, not <see cref="JsonSerializer"/>: the serializer's first
    /// use builds its converters by reflection, 30–40 ms of JIT on every start (JsonDocument is already warm from
    /// config.json). A missing or mistyped field reads as "" or -1, which no real copy matches.
    /// </summary>
    private static Manifest? ReadManifest(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
            return null;
        string Text(string name) =>
            root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "";
        long Number(string name) =>
            root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number) ? number : -1;
        return new Manifest
        {
            Format = Text(nameof(Manifest.Format)),
            Source = Text(nameof(Manifest.Source)),
            SourceSize = Number(nameof(Manifest.SourceSize)),
            SourceMtimeTicks = Number(nameof(Manifest.SourceMtimeTicks)),
            OrtVersion = Text(nameof(Manifest.OrtVersion)),
            Cpu = Text(nameof(Manifest.Cpu)),
            ModelSize = Number(nameof(Manifest.ModelSize)),
            WeightsSize = Number(nameof(Manifest.WeightsSize)),
        };
    }

    private sealed record Manifest
    {
        public string Format { get; init; } = "";
        public string Source { get; init; } = "";
        public long SourceSize { get; init; }
        public long SourceMtimeTicks { get; init; }
        public string OrtVersion { get; init; } = "";
        public string Cpu { get; init; } = "";
        public long ModelSize { get; init; }
        public long WeightsSize { get; init; }
    }
}

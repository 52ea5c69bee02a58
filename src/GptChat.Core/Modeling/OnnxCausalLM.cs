using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using GptChat.Generation;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace GptChat.Modeling;

/// <summary>GPT-2 in ONNX Runtime with a KV cache, for every Hub layout.</summary>
/// <remarks>
/// All rows run as one batch. The prompt runs once at batch 1; its cache is then broadcast and reordered by the
/// parents the generator passes (<see cref="KvCache.Reorder"/>). Inputs, the cache and the float32 logits the
/// generators read live in reused native buffers that ONNX Runtime reads from and writes into directly.
/// A graph without past inputs is driven by recomputing every row's whole sequence each step.
/// Rows are never padded: attention mask all ones, positions past_len, past_len+1, …
/// </remarks>
internal sealed class OnnxCausalLM : ICausalLM
{
    private readonly ModelLayout _layout;
    private readonly KvCache? _cache;
    private readonly StepInputs _inputs = new();
    private readonly NativeBuffer _logits = new();
    private readonly NativeBuffer _scratch = new();
    private readonly NativeBuffer _emptyPast = new();
    private readonly RunOptions _runOptions = new();
    private readonly List<string> _inputNames = [];
    private readonly List<OrtValue> _inputValues = [];
    private readonly List<string> _outputNames = [];
    private readonly List<OrtValue> _outputValues = [];

    // The no-past layout keeps every row's tokens instead of a cache: [rows × length], row-major.
    private int[] _history = [];
    private int[] _historyNext = [];
    private int _historyRows;
    private int _historyLength;

    private bool _started;
    private bool _disposed;

    private OnnxCausalLM(ModelConfig config, ModelLayout layout)
    {
        Config = config;
        _layout = layout;
        if (layout.DecodeGraph.HasPast)
            _cache = new KvCache(layout.DecodeGraph.Past, config.NPositions);
    }

    /// <summary>The most intra-op threads a session may be given.</summary>
    internal static int MaxIntraOpThreads => 4 * Environment.ProcessorCount;

    /// <summary>
    /// Starts loading ONNX Runtime on a thread-pool thread, so that a later <see cref="Open"/> finds it ready.
    /// Why: loading the library and creating its environment took 20–80 ms on the main thread of every one-shot
    /// run; started before the model folder is resolved it overlaps that work (one-shot wall on the GPT-2 124M
    /// stand-in: see README, Performance). A failure here is ignored: <see cref="Open"/> meets it again and reports it.
    /// </summary>
    public static Task StartLoadingRuntime() => Task.Run(() =>
    {
        try
        {
            OptimizedModelCache.LoadRuntime();
        }
        catch (Exception e) when (e is TypeInitializationException or DllNotFoundException or OnnxRuntimeException or EntryPointNotFoundException)
        {
        }
    });

    /// <summary>Opens a model folder: reads its config, picks the ONNX layout and loads the session(s).</summary>
    public static OnnxCausalLM Open(string modelFolder, ModelOpenOptions options)
    {
        if (options.IntraOpThreads is < 1)
            throw new GptChatException($"intra-op threads must be at least 1, got {options.IntraOpThreads}", 2);
        // ONNX Runtime starts every thread up front: 100000 of them is minutes of start-up and no speed (more threads
        // than cores never helps its kernels), so an absurd count is refused rather than obeyed.
        if (options.IntraOpThreads > MaxIntraOpThreads)
            throw new GptChatException(
                $"intra-op threads must be at most {MaxIntraOpThreads} (4 × the {Environment.ProcessorCount} logical cores here), got {options.IntraOpThreads}", 2);
        var config = ModelConfig.Load(modelFolder);

        // Physical cores: ORT's kernels gain nothing from SMT siblings, which only contend for the same units.
        var threads = options.IntraOpThreads ?? CpuTopology.PhysicalCores();
        var layout = ModelLayout.Open(modelFolder, options.OnnxFile, () => MakeSessionOptions(threads), config);
        try
        {
            CheckLogitsWidth(layout, config);
            return new OnnxCausalLM(config, layout);
        }
        catch
        {
            layout.Dispose();
            throw;
        }
    }

    /// <summary>
    /// One batch runs at a time, so ORT's threads all go to the operators (intra-op) and none to parallel branches.
    /// The optimisation level is what a plain load uses; <see cref="OptimizedModelCache"/> sets its own for its copies.
    /// </summary>
    private static SessionOptions MakeSessionOptions(int intraOpThreads) => new()
    {
        GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        IntraOpNumThreads = intraOpThreads,
        InterOpNumThreads = 1,
        ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
        // ORT's own log lines (coloured, multi-line) would land on the user's stderr next to ours; a failure still
        // reaches us as an exception and is reported as one line.
        LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL,
    };

    public ModelConfig Config { get; }
    /// <summary>A short name of the layout in use (e.g. "merged", "single", "split", "no-past"), for banners.</summary>
    public string LayoutName => _layout.Name;
    /// <summary>The graph that runs the steps after the prompt, with what was read from its metadata.</summary>
    internal DecoderGraph DecodeGraph => _layout.DecodeGraph;
    /// <summary>The ONNX file in use (absolute); for the split pair, the with-past file that runs every step after the prompt.</summary>
    public string OnnxPath => _layout.DecodeGraph.Path;

    public int VocabSize => Config.VocabSize;
    public int ContextLength => Config.NPositions;
    public long CacheBytesPerToken => _cache?.BytesPerRowAndPosition ?? 0;

    public ReadOnlySpan<float> Prefill(ReadOnlySpan<int> promptIds, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (promptIds.IsEmpty)
            throw new ArgumentException("the prompt is empty; at least one token is needed", nameof(promptIds));
        if (promptIds.Length > ContextLength)
            throw new GptChatException($"the prompt has {promptIds.Length} tokens but the model's context holds {ContextLength} (n_positions)");
        CheckTokenIds(promptIds, nameof(promptIds));

        _started = false;
        try
        {
            if (_cache is null)
            {
                SetHistory(promptIds);
                RunWholeSequences(cancellationToken);
            }
            else
            {
                RunPrefill(promptIds, cancellationToken);
                // The [1, S, V] logits of a long prompt can be hundreds of MB: do not keep that buffer for the chat.
                _scratch.Release();
            }
        }
        catch
        {
            _cache?.Reset(0);
            throw;
        }
        _started = true;
        return LogitsSpan(1);
    }

    public ReadOnlySpan<float> Decode(ReadOnlySpan<int> tokens, ReadOnlySpan<int> parents, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_started)
            throw new InvalidOperationException("Decode needs a Prefill first (or the previous step failed)");
        if (tokens.IsEmpty)
            throw new ArgumentException("no rows to decode", nameof(tokens));
        if (parents.Length != tokens.Length)
            throw new ArgumentException($"{tokens.Length} tokens but {parents.Length} parents", nameof(parents));
        var previousRows = _cache?.Rows ?? _historyRows;
        foreach (var parent in parents)
            if ((uint)parent >= (uint)previousRows)
                throw new ArgumentOutOfRangeException(nameof(parents), parent, $"a parent must name one of the previous call's {previousRows} rows");
        var length = _cache?.Length ?? _historyLength;
        if (length + 1 > ContextLength)
            throw new GptChatException($"the sequence would grow past the model's context of {ContextLength} tokens (n_positions)");
        CheckTokenIds(tokens, nameof(tokens));

        _started = false;
        try
        {
            if (_cache is null)
            {
                ExtendHistory(tokens, parents);
                RunWholeSequences(cancellationToken);
            }
            else
            {
                _cache.Reorder(parents);
                RunDecodeStep(tokens, cancellationToken);
            }
        }
        catch
        {
            _cache?.Reset(0);
            throw;
        }
        _started = true;
        return LogitsSpan(tokens.Length);
    }

    /// <summary>The prompt at batch 1 with an empty past (use_cache_branch false); the presents become the cache.</summary>
    private void RunPrefill(ReadOnlySpan<int> promptIds, CancellationToken cancellationToken)
    {
        var graph = _layout.PrefillGraph;
        var length = promptIds.Length;
        AddStepInputs(graph, promptIds, rows: 1, sequence: length, past: 0, useCacheBranch: false);
        foreach (var tensor in graph.Past)
            AddInput(tensor.PastName, _emptyPast.View(tensor.ElementType, tensor.Shape(1, 0)));
        var direct = AddLogitsOutput(graph, rows: 1, sequence: length);
        AddPresentOutputs(rows: 1, length);
        Run(graph, cancellationToken);
        _cache!.CommitPresents(1, length);
        if (!direct)
            CopyLastPositions(graph.LogitsType, rows: 1, sequence: length);
    }

    /// <summary>One new token per row on top of the (already reordered) cache.</summary>
    private void RunDecodeStep(ReadOnlySpan<int> tokens, CancellationToken cancellationToken)
    {
        var graph = _layout.DecodeGraph;
        var cache = _cache!;
        var rows = tokens.Length;
        var past = cache.Length;
        AddStepInputs(graph, tokens, rows, sequence: 1, past, useCacheBranch: true);
        for (var i = 0; i < cache.Tensors.Count; i++)
            AddInput(cache.Tensors[i].PastName, cache.PastView(i));
        var direct = AddLogitsOutput(graph, rows, sequence: 1);
        AddPresentOutputs(rows, past + 1);
        Run(graph, cancellationToken);
        cache.CommitPresents(rows, past + 1);
        if (!direct)
            CopyLastPositions(graph.LogitsType, rows, sequence: 1);
    }

    /// <summary>No cache: every row's whole sequence, keeping only each row's last logits.</summary>
    private void RunWholeSequences(CancellationToken cancellationToken)
    {
        var graph = _layout.DecodeGraph;
        var rows = _historyRows;
        var length = _historyLength;
        AddStepInputs(graph, _history.AsSpan(0, rows * length), rows, sequence: length, past: 0, useCacheBranch: false);
        var direct = AddLogitsOutput(graph, rows, sequence: length);
        Run(graph, cancellationToken);
        if (!direct)
            CopyLastPositions(graph.LogitsType, rows, length);
    }

    private void AddStepInputs(DecoderGraph graph, ReadOnlySpan<int> ids, int rows, int sequence, int past, bool useCacheBranch)
    {
        AddInput(DecoderGraph.InputIds, _inputs.Ids(graph.IdsType, ids, rows, sequence));
        if (graph.MaskType is { } maskType)
            AddInput(DecoderGraph.AttentionMask, _inputs.Mask(maskType, rows, past + sequence));
        if (graph.PositionsType is { } positionsType)
            AddInput(DecoderGraph.PositionIds, _inputs.Positions(positionsType, rows, past, sequence));
        if (graph.HasUseCacheBranch)
            AddInput(DecoderGraph.UseCacheBranch, _inputs.UseCacheBranch(useCacheBranch));
    }

    /// <summary>
    /// Float32 logits of one position per row go straight into the buffer the caller reads; anything else
    /// ([rows, S, V] or float16) goes to scratch first. Returns whether the logits were bound directly.
    /// </summary>
    private bool AddLogitsOutput(DecoderGraph graph, int rows, int sequence)
    {
        var direct = sequence == 1 && graph.LogitsType == TensorElementType.Float;
        var target = direct ? _logits : _scratch;
        _outputNames.Add(DecoderGraph.Logits);
        _outputValues.Add(target.View(graph.LogitsType, [rows, sequence, VocabSize]));
        return direct;
    }

    private void AddPresentOutputs(int rows, int length)
    {
        var cache = _cache!;
        for (var i = 0; i < cache.Tensors.Count; i++)
        {
            _outputNames.Add(cache.Tensors[i].PresentName);
            _outputValues.Add(cache.PresentTarget(i, rows, length));
        }
    }

    private void AddInput(string name, OrtValue value)
    {
        _inputNames.Add(name);
        _inputValues.Add(value);
    }

    /// <summary>Runs the graph on the prepared inputs and outputs; cancellation aborts the run through <see cref="RunOptions.Terminate"/>.</summary>
    private void Run(DecoderGraph graph, CancellationToken cancellationToken)
    {
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            var registration = cancellationToken.Register(static o => ((RunOptions)o!).Terminate = true, _runOptions);
            try
            {
                graph.Session.Run(_runOptions, _inputNames, _inputValues, _outputNames, _outputValues);
            }
            catch (OnnxRuntimeException e) when (cancellationToken.IsCancellationRequested)
            {
                throw new OperationCanceledException("the model run was cancelled", e, cancellationToken);
            }
            catch (OnnxRuntimeException e)
            {
                throw new GptChatException($"ONNX Runtime failed running {Path.GetFileName(graph.Path)}: {Messages.FirstLine(e.Message)}", 1, e);
            }
            finally
            {
                // Dispose waits for a running callback, so the flag cannot be set again after it is cleared here.
                registration.Dispose();
                if (cancellationToken.IsCancellationRequested)
                    _runOptions.Terminate = false;
            }
        }
        finally
        {
            foreach (var value in _inputValues)
                value.Dispose();
            foreach (var value in _outputValues)
                value.Dispose();
            _inputNames.Clear();
            _inputValues.Clear();
            _outputNames.Clear();
            _outputValues.Clear();
        }
    }

    /// <summary>Copies (and for float16 converts) the last position of each row from scratch into the float32 logits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private unsafe void CopyLastPositions(TensorElementType type, int rows, int sequence)
    {
        var vocab = VocabSize;
        _logits.EnsureCapacity((long)rows * vocab * sizeof(float));
        var destination = _logits.AsSpan<float>(rows * vocab);
        for (var r = 0; r < rows; r++)
        {
            var offset = ((long)r * sequence + sequence - 1) * vocab;
            var row = destination.Slice(r * vocab, vocab);
            if (type == TensorElementType.Float)
                new ReadOnlySpan<float>((float*)_scratch.Pointer + offset, vocab).CopyTo(row);
            else
                TensorPrimitives.ConvertToSingle(new ReadOnlySpan<Half>((Half*)_scratch.Pointer + offset, vocab), row);
        }
    }

    private ReadOnlySpan<float> LogitsSpan(int rows) => _logits.AsSpan<float>(rows * VocabSize);

    private void SetHistory(ReadOnlySpan<int> promptIds)
    {
        EnsureHistoryCapacity(promptIds.Length);
        promptIds.CopyTo(_history);
        _historyRows = 1;
        _historyLength = promptIds.Length;
    }

    private void ExtendHistory(ReadOnlySpan<int> tokens, ReadOnlySpan<int> parents)
    {
        var rows = tokens.Length;
        var length = _historyLength;
        EnsureHistoryCapacity(rows * (length + 1));
        for (var r = 0; r < rows; r++)
        {
            _history.AsSpan(parents[r] * length, length).CopyTo(_historyNext.AsSpan(r * (length + 1)));
            _historyNext[r * (length + 1) + length] = tokens[r];
        }
        (_history, _historyNext) = (_historyNext, _history);
        _historyRows = rows;
        _historyLength = length + 1;
    }

    private void EnsureHistoryCapacity(int count)
    {
        if (_history.Length >= count && _historyNext.Length >= count)
            return;
        var capacity = Math.Max(count, _history.Length * 2);
        Array.Resize(ref _history, capacity);
        Array.Resize(ref _historyNext, capacity);
    }

    private void CheckTokenIds(ReadOnlySpan<int> ids, string parameter)
    {
        foreach (var id in ids)
            if ((uint)id >= (uint)VocabSize)
                throw new ArgumentOutOfRangeException(parameter, id, $"token ids must lie in [0, {VocabSize})");
    }

    /// <summary>The logits width the graph declares, if fixed, must agree with config.json's vocab_size.</summary>
    private static void CheckLogitsWidth(ModelLayout layout, ModelConfig config)
    {
        var dims = layout.DecodeGraph.Session.OutputMetadata[DecoderGraph.Logits].Dimensions;
        var declared = dims.Length > 0 ? dims[^1] : -1;
        if (declared > 0 && declared != config.VocabSize)
            throw new GptChatException($"{Path.GetFileName(layout.DecodeGraph.Path)}: logits have {declared} entries per token but config.json says vocab_size {config.VocabSize}");
    }

    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        _layout.Dispose();
        _cache?.Dispose();
        _inputs.Dispose();
        _logits.Dispose();
        _scratch.Dispose();
        _emptyPast.Dispose();
        _runOptions.Dispose();
    }
}

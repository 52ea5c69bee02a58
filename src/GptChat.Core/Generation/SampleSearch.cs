using GptChat.Generation.Processors;
using GptChat.Generation.Stopping;

namespace GptChat.Generation;

/// <summary>
/// Greedy search and multinomial sampling, as HF's <c>_sample</c>: per step the processors run on the raw
/// float32 logits (no log-softmax), then argmax (lowest index on ties, as torch.argmax) or a draw from the
/// softmax. A row that produced EOS or reached max_length is done; generation ends when every row is.
/// </summary>
/// <remarks>
/// HF keeps finished rows in the batch and appends pad to them; their tokens are dropped from the output
/// anyway, so here a finished row leaves the model batch (less work) and simply stops growing. Sampling
/// with a seed is reproducible but not bit-compatible with torch's generator.
/// </remarks>
internal sealed class SampleSearch
{
    private readonly ICausalLM _model;
    private readonly int[] _prompt;
    private readonly GenerationOptions _options;
    private readonly int _vocabSize;
    private readonly int _rows;
    private readonly int _maxNew;
    private readonly LogitsProcessorList _processors;
    private readonly StoppingCriteria _stopping;
    private readonly SeededRandom? _random;

    // Preallocated state: nothing is allocated per token.
    private readonly int[] _generated;      // [rows × maxNew]
    private readonly int[] _lengths;        // generated tokens per row
    private readonly bool[] _done;
    private readonly int[] _logitsRow;      // row r's position in the last logits batch
    private readonly int[] _decodeTokens;
    private readonly int[] _decodeParents;
    private readonly float[] _scores;
    private readonly float[] _probs;

    public SampleSearch(ICausalLM model, int[] prompt, GenerationOptions options, int maxLength)
    {
        _model = model;
        _prompt = prompt;
        _options = options;
        _vocabSize = model.VocabSize;
        _rows = options.DoSample ? options.NumReturnSequences : 1;
        _maxNew = maxLength - prompt.Length;
        _processors = LogitsProcessorList.Create(options, _vocabSize);
        _stopping = new StoppingCriteria(maxLength, options.EosTokenId);
        if (options.DoSample)
            _random = new SeededRandom(options.Seed ?? (ulong)Random.Shared.NextInt64());

        _generated = new int[_rows * _maxNew];
        _lengths = new int[_rows];
        _done = new bool[_rows];
        _logitsRow = new int[_rows];
        _decodeTokens = new int[_rows];
        _decodeParents = new int[_rows];
        _scores = new float[_vocabSize];
        _probs = options.DoSample ? new float[_vocabSize] : [];
    }

    public GenerationResult Run(StableTokensHandler? onStableTokens, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
            return Result(cancelled: true);

        ReadOnlySpan<float> logits;
        try
        {
            logits = _model.Prefill(_prompt, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return Result(cancelled: true);
        }
        // After the prefill every row reads the prompt's single logits row (position 0).

        while (true)
        {
            var allDone = true;
            for (var r = 0; r < _rows; r++)
            {
                if (_done[r])
                    continue;
                var token = NextToken(r, logits.Slice(_logitsRow[r] * _vocabSize, _vocabSize));
                var generated = Row(r);
                generated[_lengths[r]++] = token;
                _done[r] = _stopping.IsDone(_prompt.Length + _lengths[r], token);
                if (r == 0 && onStableTokens is not null && token != _options.EosTokenId)
                    onStableTokens(generated.Slice(_lengths[0] - 1, 1));
                allDone &= _done[r];
            }
            if (allDone)
                return Result(cancelled: false);
            if (cancellationToken.IsCancellationRequested)
                return Result(cancelled: true);

            var batch = 0;
            for (var r = 0; r < _rows; r++)
            {
                if (_done[r])
                    continue;
                _decodeTokens[batch] = Row(r)[_lengths[r] - 1];
                _decodeParents[batch] = _logitsRow[r];
                _logitsRow[r] = batch++;
            }
            try
            {
                logits = _model.Decode(_decodeTokens.AsSpan(0, batch), _decodeParents.AsSpan(0, batch), cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return Result(cancelled: true);
            }
        }
    }

    private Span<int> Row(int r) => _generated.AsSpan(r * _maxNew, _maxNew);

    private int NextToken(int r, ReadOnlySpan<float> rowLogits)
    {
        var scores = _scores.AsSpan();
        rowLogits.CopyTo(scores);
        _processors.Process(new TokenRow(_prompt, Row(r)[.._lengths[r]]), scores);
        return _random is null ? VectorMath.IndexOfMax(scores) : Draw(scores);
    }

    /// <summary>torch.multinomial(softmax(scores), 1) with our own generator.</summary>
    private int Draw(ReadOnlySpan<float> scores)
    {
        var probs = _probs.AsSpan();
        VectorMath.Softmax(scores, probs);
        var target = _random!.NextDouble();
        double cumulative = 0;
        var last = -1;
        for (var t = 0; t < probs.Length; t++)
        {
            var p = probs[t];
            if (!(p > 0))
                continue;
            cumulative += p;
            last = t;
            if (target < cumulative)
                return t;
        }
        // Rounding left the total just under the draw: the last token with mass takes it. With no mass
        // at all (every token banned), fall back to argmax rather than fail mid-reply.
        return last >= 0 ? last : VectorMath.IndexOfMax(scores);
    }

    private GenerationResult Result(bool cancelled)
    {
        var sequences = new GeneratedSequence[_rows];
        for (var r = 0; r < _rows; r++)
            sequences[r] = new GeneratedSequence(Row(r)[.._lengths[r]].ToArray(), null);
        var best = sequences[0].Ids;
        var reason = cancelled ? FinishReason.Stop
            : best.Count > 0 && best[^1] == _options.EosTokenId ? FinishReason.Eos
            : FinishReason.Length;
        return new GenerationResult(_prompt, sequences, reason);
    }
}

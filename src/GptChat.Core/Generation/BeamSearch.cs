using GptChat.Generation.Processors;
using GptChat.Generation.Stopping;

namespace GptChat.Generation;

/// <summary>
/// Beam search exactly as HF's vectorised <c>_beam_search</c> (v4.50+, per-item early-stop heuristic), for
/// one prompt. Per step: log_softmax of the float32 logits, then the processors, plus each beam's running
/// score; the top 2·num_beams candidates over num_beams × vocab; the best num_beams that did not hit a
/// stopping rule continue; hits among the top num_beams ranks compete for the num_beams finished slots by
/// score ÷ generated_length^length_penalty. The arithmetic is float32 like HF's tensors, including the
/// −1e9 masks (which in float32 swallow small scores: −1e9 + −2.5 is −1e9).
/// </summary>
/// <remarks>
/// Streaming: a token is final once every running beam and the best finished hypothesis share it. Later
/// results only descend from those (a finished slot below the best can never become the best), so the
/// streamed tokens are always a prefix of the returned best sequence; the rest is streamed at the end.
/// Cancellation between steps ends the search like reaching max_length would: the finished hypotheses
/// and the running beams (normalised at their current length) are ranked together.
/// </remarks>
internal sealed class BeamSearch
{
    private const float Masked = -1e9f;

    private readonly ICausalLM _model;
    private readonly int[] _prompt;
    private readonly GenerationOptions _options;
    private readonly int _beams;
    private readonly int _candidates;   // K = 2 · num_beams (one EOS id)
    private readonly int _vocabSize;
    private readonly int _maxLength;
    private readonly int _maxNew;
    private readonly float _lengthPenalty;
    private readonly LogitsProcessorList _processors;
    private readonly StoppingCriteria _stopping;
    private readonly TopKSelector _topK;

    // Preallocated state; nothing is allocated per step.
    private readonly float[] _scores;          // [beams × vocab] processed, accumulated log-probs
    private int[] _running;                    // [beams × maxNew] generated tokens of each running beam
    private int[] _nextRunning;
    private readonly float[] _runningScores;   // [beams] sum of log-probs
    private int _generatedLength;              // tokens generated so far (same for every running beam)

    private readonly int[] _candBeam, _candToken;
    private readonly float[] _candScore, _candRunScore, _candFinishScore;
    private readonly bool[] _candHit;
    private readonly float[] _mergedScore;     // [beams + K] finished slots then candidates
    private readonly int[] _order;             // scratch for ranking candidates / merged slots

    private int[] _finished;                   // [beams × maxNew] finished slots, best first
    private int[] _nextFinished;
    private readonly int[] _finishedLength, _nextFinishedLength;
    private readonly float[] _finishedScore, _nextFinishedScore;
    private readonly bool[] _finishedFilled, _nextFinishedFilled;

    private readonly int[] _decodeTokens, _decodeParents;
    private int _streamed;

    public BeamSearch(ICausalLM model, int[] prompt, GenerationOptions options, int maxLength)
    {
        _model = model;
        _prompt = prompt;
        _options = options;
        _beams = options.NumBeams;
        _candidates = 2 * _beams;
        _vocabSize = model.VocabSize;
        _maxLength = maxLength;
        _maxNew = maxLength - prompt.Length;
        _lengthPenalty = (float)options.LengthPenalty;
        _processors = LogitsProcessorList.Create(options, _vocabSize);
        _stopping = new StoppingCriteria(maxLength, options.EosTokenId);
        _topK = new TopKSelector(_candidates);

        _scores = new float[_beams * _vocabSize];
        _running = new int[_beams * _maxNew];
        _nextRunning = new int[_beams * _maxNew];
        _runningScores = new float[_beams];
        _candBeam = new int[_candidates];
        _candToken = new int[_candidates];
        _candScore = new float[_candidates];
        _candRunScore = new float[_candidates];
        _candFinishScore = new float[_candidates];
        _candHit = new bool[_candidates];
        _mergedScore = new float[_beams + _candidates];
        _order = new int[_beams + _candidates];
        _finished = new int[_beams * _maxNew];
        _nextFinished = new int[_beams * _maxNew];
        _finishedLength = new int[_beams];
        _nextFinishedLength = new int[_beams];
        _finishedScore = new float[_beams];
        _nextFinishedScore = new float[_beams];
        _finishedFilled = new bool[_beams];
        _nextFinishedFilled = new bool[_beams];
        _decodeTokens = new int[_beams];
        _decodeParents = new int[_beams];
    }

    public GenerationResult Run(StableTokensHandler? onStableTokens, CancellationToken cancellationToken)
    {
        // Only beam 0 competes at the first step, so the beams do not all pick the same tokens.
        _runningScores.AsSpan(1).Fill(Masked);
        _finishedScore.AsSpan().Fill(Masked);

        if (cancellationToken.IsCancellationRequested)
            return CancelledResult(onStableTokens);
        ReadOnlySpan<float> logits;
        try
        {
            logits = _model.Prefill(_prompt, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return CancelledResult(onStableTokens);
        }

        var firstStep = true;
        while (true)
        {
            // a. log-probs, processors, plus the running scores (the prefill's one row stands for every beam).
            for (var b = 0; b < _beams; b++)
            {
                var rowLogits = logits.Slice(firstStep ? 0 : b * _vocabSize, _vocabSize);
                var row = _scores.AsSpan(b * _vocabSize, _vocabSize);
                VectorMath.LogSoftmax(rowLogits, row);
                _processors.Process(new TokenRow(_prompt, Running(b)), row);
                VectorMath.Add(row, _runningScores[b], row);
            }
            firstStep = false;

            // b.–d. the top-K candidates and which of them hit a stopping rule.
            var allHit = SelectCandidates();
            // e. the running beams of the next step, f. the finished slots.
            UpdateFinished();
            AdvanceRunning();

            // g. stopping: early_stopping true stops with every slot filled; otherwise HF's heuristic,
            // sticky across steps (for one prompt, "satisfied" simply ends the loop).
            var curLength = _prompt.Length + _generatedLength;
            var improvementPossible = ImprovementPossible(curLength);
            var allFilled = Array.IndexOf(_finishedFilled, false) < 0;
            var stop = !improvementPossible || (allFilled && _options.EarlyStopping == EarlyStopping.True) || allHit;
            if (stop)
                return FinalResult(onStableTokens);

            StreamStablePrefix(onStableTokens);
            if (cancellationToken.IsCancellationRequested)
                return CancelledResult(onStableTokens);
            try
            {
                logits = _model.Decode(_decodeTokens, _decodeParents, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return CancelledResult(onStableTokens);
            }
        }
    }

    private Span<int> Running(int beam) => _running.AsSpan(beam * _maxNew, _generatedLength);

    private Span<int> Finished(int slot) => _finished.AsSpan(slot * _maxNew, _finishedLength[slot]);

    /// <summary>HF <c>_get_top_k_continuations</c> + the stopping criteria on each candidate. Returns whether every candidate hit.</summary>
    private bool SelectCandidates()
    {
        _topK.Select(_scores, _candidates);
        var rowLength = _prompt.Length + _generatedLength + 1;
        var allHit = true;
        for (var i = 0; i < _topK.Count; i++)
        {
            var flat = _topK.Indices[i];
            _candBeam[i] = flat / _vocabSize;
            _candToken[i] = flat % _vocabSize;
            _candScore[i] = _topK.Values[i];
            _candHit[i] = _stopping.IsDone(rowLength, _candToken[i]);
            allHit &= _candHit[i];
        }
        return allHit;
    }

    /// <summary>
    /// HF <c>_update_finished_beams</c>: candidates that hit a stopping rule within the top num_beams ranks
    /// compete with the finished slots by normalised score; the rest are pushed down by −1e9.
    /// </summary>
    private void UpdateFinished()
    {
        var count = _topK.Count;
        var generatedWithNew = _generatedLength + 1;
        var divisor = (float)Math.Pow(generatedWithNew, _lengthPenalty);
        for (var i = 0; i < count; i++)
        {
            var score = _candScore[i] / divisor;
            if (!(_candHit[i] && i < _beams))
                score += Masked;
            _candFinishScore[i] = score;
        }

        // Merged list: the old slots (positions 0..beams-1) then the candidates; keep the best beams.
        var merged = _beams + count;
        _finishedScore.CopyTo(_mergedScore, 0);
        _candFinishScore.AsSpan(0, count).CopyTo(_mergedScore.AsSpan(_beams));
        RankDescending(_mergedScore.AsSpan(0, merged), _order);

        for (var s = 0; s < _beams; s++)
        {
            var m = _order[s];
            var target = _nextFinished.AsSpan(s * _maxNew, _maxNew);
            if (m < _beams)
            {
                Finished(m).CopyTo(target);
                _nextFinishedLength[s] = _finishedLength[m];
                _nextFinishedScore[s] = _finishedScore[m];
                _nextFinishedFilled[s] = _finishedFilled[m];
            }
            else
            {
                var c = m - _beams;
                Running(_candBeam[c]).CopyTo(target);
                target[_generatedLength] = _candToken[c];
                _nextFinishedLength[s] = generatedWithNew;
                _nextFinishedScore[s] = _candFinishScore[c];
                _nextFinishedFilled[s] = _candHit[c] && c < _beams;
            }
        }
        (_finished, _nextFinished) = (_nextFinished, _finished);
        _nextFinishedLength.CopyTo(_finishedLength, 0);
        _nextFinishedScore.CopyTo(_finishedScore, 0);
        _nextFinishedFilled.CopyTo(_finishedFilled, 0);
    }

    /// <summary>HF <c>_get_running_beams_for_next_iteration</c>: the best num_beams candidates, hits pushed down by −1e9.</summary>
    private void AdvanceRunning()
    {
        var count = _topK.Count;
        for (var i = 0; i < count; i++)
            _candRunScore[i] = _candHit[i] ? _candScore[i] + Masked : _candScore[i];
        RankDescending(_candRunScore.AsSpan(0, count), _order);

        for (var b = 0; b < _beams; b++)
        {
            // A vocabulary smaller than 2·num_beams can leave fewer candidates than beams: reuse the last.
            var c = _order[Math.Min(b, count - 1)];
            var target = _nextRunning.AsSpan(b * _maxNew, _maxNew);
            Running(_candBeam[c]).CopyTo(target);
            target[_generatedLength] = _candToken[c];
            _runningScores[b] = _candRunScore[c];
            _decodeTokens[b] = _candToken[c];
            // Right after the prefill the model holds one row, which every beam continues.
            _decodeParents[b] = _generatedLength == 0 ? 0 : _candBeam[c];
        }
        (_running, _nextRunning) = (_nextRunning, _running);
        _generatedLength++;
    }

    /// <summary>
    /// HF <c>_check_early_stop_heuristic</c>: can the best running beam still beat the worst finished slot?
    /// Until every slot is filled the answer is yes. early_stopping=never with a positive length penalty
    /// judges the running beam at max_length; otherwise at the current length.
    /// </summary>
    private bool ImprovementPossible(int curLength)
    {
        var hypotheticalLength = _options.EarlyStopping == EarlyStopping.Never && _lengthPenalty > 0
            ? _maxLength - _prompt.Length
            : curLength - _prompt.Length;
        var bestPossible = _runningScores[0] / (float)Math.Pow(hypotheticalLength, _lengthPenalty);
        var worstOfAll = _finishedScore.Min();
        for (var s = 0; s < _beams; s++)
        {
            var worstFinished = _finishedFilled[s] ? worstOfAll : Masked;
            if (bestPossible > worstFinished)
                return true;
        }
        return false;
    }

    /// <summary>
    /// Fills <paramref name="order"/> with the positions of <paramref name="keys"/> by descending key; equal
    /// keys keep the lower position first (insertion sort: at most 3·num_beams items).
    /// </summary>
    private static void RankDescending(ReadOnlySpan<float> keys, Span<int> order)
    {
        for (var i = 0; i < keys.Length; i++)
        {
            var j = i - 1;
            while (j >= 0 && keys[order[j]] < keys[i])
            {
                order[j + 1] = order[j];
                j--;
            }
            order[j + 1] = i;
        }
    }

    /// <summary>Streams the tokens that every running beam and the best finished hypothesis now share.</summary>
    private void StreamStablePrefix(StableTokensHandler? onStableTokens)
    {
        if (onStableTokens is null)
            return;
        ReadOnlySpan<int> reference = Running(0);
        var stable = reference.Length;
        for (var b = 1; b < _beams; b++)
            stable = Math.Min(stable, reference.CommonPrefixLength(Running(b)));
        var best = Array.IndexOf(_finishedFilled, true);
        if (best >= 0)
            stable = Math.Min(stable, reference.CommonPrefixLength(WithoutTrailingEos(Finished(best))));
        if (stable > _streamed)
        {
            onStableTokens(reference[_streamed..stable]);
            _streamed = stable;
        }
    }

    private ReadOnlySpan<int> WithoutTrailingEos(ReadOnlySpan<int> ids) =>
        ids.Length > 0 && ids[^1] == _options.EosTokenId ? ids[..^1] : ids;

    private GenerationResult FinalResult(StableTokensHandler? onStableTokens)
    {
        var sequences = new GeneratedSequence[_options.NumReturnSequences];
        for (var s = 0; s < sequences.Length; s++)
            sequences[s] = new GeneratedSequence(Finished(s).ToArray(), _finishedScore[s]);
        var best = Finished(0);
        var reason = best.Length > 0 && best[^1] == _options.EosTokenId ? FinishReason.Eos : FinishReason.Length;
        StreamRest(onStableTokens, best);
        return new GenerationResult(_prompt, sequences, reason);
    }

    /// <summary>Cancelled: rank the finished slots and the running beams (normalised at their current length) together.</summary>
    private GenerationResult CancelledResult(StableTokensHandler? onStableTokens)
    {
        var ranked = new List<(int[] Ids, float Score)>();
        for (var s = 0; s < _beams; s++)
            if (_finishedFilled[s])
                ranked.Add((Finished(s).ToArray(), _finishedScore[s]));
        var divisor = (float)Math.Pow(Math.Max(_generatedLength, 1), _lengthPenalty);
        for (var b = 0; b < _beams; b++)
            ranked.Add((Running(b).ToArray(), _runningScores[b] / divisor));
        // OrderBy is stable: at equal scores the finished slots (listed first) win.
        var best = ranked.OrderByDescending(r => r.Score).Take(_options.NumReturnSequences).ToArray();
        var sequences = Array.ConvertAll(best, r => new GeneratedSequence(r.Ids, r.Score));
        StreamRest(onStableTokens, best[0].Ids);
        return new GenerationResult(_prompt, sequences, FinishReason.Stop);
    }

    private void StreamRest(StableTokensHandler? onStableTokens, ReadOnlySpan<int> best)
    {
        if (onStableTokens is null)
            return;
        var rest = WithoutTrailingEos(best);
        if (rest.Length > _streamed)
            onStableTokens(rest[_streamed..]);
        _streamed = rest.Length;
    }
}

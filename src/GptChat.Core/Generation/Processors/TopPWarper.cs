namespace GptChat.Generation.Processors;

/// <summary>
/// HF <c>TopPLogitsWarper</c> (nucleus): HF sorts ascending and removes tokens whose cumulative
/// probability is ≤ 1 - top_p, always keeping the most likely one. Equivalently, in descending order a
/// token is kept while the probability mass strictly before it is below top_p.
/// </summary>
/// <remarks>
/// That form only needs the most likely tokens in order. The top 64 are selected, then 128, … up to 512
/// until they hold top_p of the mass (after top-k, or with a peaked distribution, they always do); only a
/// flat distribution falls back to sorting the whole vocabulary.
/// </remarks>
internal sealed class TopPWarper : ILogitsProcessor
{
    private const int FirstSelection = 64;
    private const int LastSelection = 512;

    private readonly double _topP;
    private readonly float[] _probs;
    private readonly TopKSelector _selector = new(LastSelection);
    private readonly float[] _sortKeys;
    private readonly int[] _sortTokens;
    private readonly float[] _keptScores;

    public TopPWarper(double topP, int vocabSize)
    {
        _topP = topP;
        _probs = new float[vocabSize];
        _sortKeys = new float[vocabSize];
        _sortTokens = new int[vocabSize];
        _keptScores = new float[vocabSize];
    }

    public void Process(TokenRow row, Span<float> scores)
    {
        var probs = _probs.AsSpan(0, scores.Length);
        VectorMath.Softmax(scores, probs);
        var count = MostLikelyFirst(probs, out var tokens, out var sortedProbs);
        tokens = tokens[..count];

        // Keep while the mass before the token is below top_p (the first token always), then restore
        // the kept scores over a row of -inf.
        var kept = 0;
        double massBefore = 0;
        for (; kept < tokens.Length && (kept == 0 || (massBefore < _topP && sortedProbs[kept] > 0)); kept++)
        {
            _keptScores[kept] = scores[tokens[kept]];
            massBefore += sortedProbs[kept];
        }
        scores.Fill(float.NegativeInfinity);
        for (var i = 0; i < kept; i++)
            scores[tokens[i]] = _keptScores[i];
    }

    /// <summary>Enough of the most likely tokens, best first, to hold top_p of the mass.</summary>
    private int MostLikelyFirst(ReadOnlySpan<float> probs, out ReadOnlySpan<int> tokens, out ReadOnlySpan<float> sortedProbs)
    {
        for (var size = FirstSelection; size <= LastSelection && size <= 2 * probs.Length; size *= 2)
        {
            _selector.Select(probs, Math.Min(size, probs.Length));
            double mass = 0;
            foreach (var p in _selector.Values)
                mass += p;
            if (mass >= _topP || _selector.Count == probs.Length)
            {
                tokens = _selector.Indices;
                sortedProbs = _selector.Values;
                return _selector.Count;
            }
        }

        var count = 0;
        for (var t = 0; t < probs.Length; t++)
        {
            if (probs[t] > 0)
            {
                _sortKeys[count] = -probs[t]; // ascending sort of the negated value = descending probability
                _sortTokens[count++] = t;
            }
        }
        Array.Sort(_sortKeys, _sortTokens, 0, count);
        for (var i = 0; i < count; i++)
            _sortKeys[i] = -_sortKeys[i];
        tokens = _sortTokens;
        sortedProbs = _sortKeys;
        return count;
    }
}

namespace GptChat.Generation.Processors;

/// <summary>
/// HF <c>TopPLogitsWarper</c> (nucleus): HF sorts ascending and removes tokens whose cumulative
/// probability is ≤ 1 - top_p, always keeping the most likely one. Equivalently, in descending order
/// a token is kept while the probability mass strictly before it is below top_p; that form only needs
/// the tokens with non-zero probability sorted (after top-k, just k of them).
/// </summary>
internal sealed class TopPWarper : ILogitsProcessor
{
    private readonly double _topP;
    private readonly float[] _probs;
    private readonly float[] _sortKeys;
    private readonly int[] _sortTokens;

    public TopPWarper(double topP, int vocabSize)
    {
        _topP = topP;
        _probs = new float[vocabSize];
        _sortKeys = new float[vocabSize];
        _sortTokens = new int[vocabSize];
    }

    public void Process(TokenRow row, Span<float> scores)
    {
        var probs = _probs.AsSpan(0, scores.Length);
        Softmax.Probabilities(scores, probs);

        var count = 0;
        for (var t = 0; t < probs.Length; t++)
        {
            if (probs[t] > 0)
            {
                _sortKeys[count] = -probs[t]; // ascending sort of the negated value = descending probability
                _sortTokens[count++] = t;
            }
            else
            {
                scores[t] = float.NegativeInfinity;
            }
        }
        Array.Sort(_sortKeys, _sortTokens, 0, count);

        double massBefore = 0;
        for (var i = 0; i < count; i++)
        {
            if (i > 0 && massBefore >= _topP)
                scores[_sortTokens[i]] = float.NegativeInfinity;
            massBefore += -_sortKeys[i];
        }
    }
}

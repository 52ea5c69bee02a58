namespace GptChat.Generation.Processors;

/// <summary>
/// HF <c>RepetitionPenaltyLogitsProcessor</c>: for every distinct token already in the row (prompt
/// included) a negative score is multiplied by the penalty and a positive one divided by it, so the
/// token always becomes less likely when penalty &gt; 1.
/// </summary>
internal sealed class RepetitionPenaltyProcessor : ILogitsProcessor
{
    private readonly float _penalty;

    // seen[token] == _stamp marks a token already penalised for the current row; bumping the stamp
    // clears the whole set in O(1), so a row costs O(row length), not O(vocab).
    private readonly int[] _seen;
    private int _stamp;

    public RepetitionPenaltyProcessor(double penalty, int vocabSize)
    {
        _penalty = (float)penalty;
        _seen = new int[vocabSize];
    }

    public void Process(TokenRow row, Span<float> scores)
    {
        if (++_stamp == int.MaxValue)
        {
            Array.Clear(_seen);
            _stamp = 1;
        }
        Apply(row.Prompt, scores);
        Apply(row.Generated, scores);
    }

    private void Apply(ReadOnlySpan<int> tokens, Span<float> scores)
    {
        foreach (var token in tokens)
        {
            if (_seen[token] == _stamp)
                continue; // HF gathers then scatters: a repeated token is penalised once, not twice.
            _seen[token] = _stamp;
            var s = scores[token];
            scores[token] = s < 0 ? s * _penalty : s / _penalty;
        }
    }
}

namespace GptChat.Generation.Processors;

/// <summary>
/// HF <c>TopKLogitsWarper</c>: scores below the k-th largest become -inf. Scores equal to the k-th
/// largest survive, so ties at the threshold can keep more than k tokens, as in HF.
/// </summary>
internal sealed class TopKWarper(int topK) : ILogitsProcessor
{
    private readonly TopKSelector _selector = new(topK);

    public void Process(TokenRow row, Span<float> scores)
    {
        if (topK >= scores.Length)
            return;
        _selector.Select(scores, topK);
        var threshold = _selector.Values[^1];
        foreach (ref var s in scores)
            if (s < threshold)
                s = float.NegativeInfinity;
    }
}

namespace GptChat.Generation.Processors;

/// <summary>HF <c>MinLengthLogitsProcessor</c>: EOS is banned while the row (prompt included) is shorter than <c>min_length</c>.</summary>
internal sealed class MinLengthProcessor(int minLength, int eosTokenId) : ILogitsProcessor
{
    public void Process(TokenRow row, Span<float> scores)
    {
        if (row.Length < minLength)
            scores[eosTokenId] = float.NegativeInfinity;
    }
}

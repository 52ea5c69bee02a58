namespace GptChat.Generation.Processors;

/// <summary>HF <c>MinNewTokensLengthLogitsProcessor</c>: EOS is banned until <c>min_new_tokens</c> tokens follow the prompt.</summary>
internal sealed class MinNewTokensProcessor(int minNewTokens, int eosTokenId) : ILogitsProcessor
{
    public void Process(TokenRow row, Span<float> scores)
    {
        if (row.Generated.Length < minNewTokens)
            scores[eosTokenId] = float.NegativeInfinity;
    }
}

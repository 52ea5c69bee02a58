namespace GptChat.Generation.Stopping;

/// <summary>HF <c>EosTokenCriteria</c>: done when the row's last token is EOS.</summary>
internal sealed class EosCriterion(int eosTokenId) : IStoppingCriterion
{
    public bool IsDone(int rowLength, int lastToken) => lastToken == eosTokenId;
}

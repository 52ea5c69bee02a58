namespace GptChat.Generation.Stopping;

/// <summary>HF's <c>StoppingCriteriaList</c> for generate(): max length, then EOS; a row is done when any rule says so.</summary>
internal sealed class StoppingCriteria(int maxLength, int eosTokenId) : IStoppingCriterion
{
    private readonly IStoppingCriterion[] _criteria = [new MaxLengthCriterion(maxLength), new EosCriterion(eosTokenId)];

    public bool IsDone(int rowLength, int lastToken)
    {
        foreach (var criterion in _criteria)
            if (criterion.IsDone(rowLength, lastToken))
                return true;
        return false;
    }
}

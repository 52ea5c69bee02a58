namespace GptChat.Generation.Stopping;

/// <summary>
/// A per-row stopping rule, as HF's <c>StoppingCriteria</c>: true once the row must not grow further.
/// HF passes the whole row; the rules generate() uses only need its length (prompt included) and last token,
/// which lets beam search test a candidate without building its row.
/// </summary>
internal interface IStoppingCriterion
{
    bool IsDone(int rowLength, int lastToken);
}

namespace GptChat.Generation.Stopping;

/// <summary>HF <c>MaxLengthCriteria</c>: done when the row (prompt included) holds <c>max_length</c> tokens.</summary>
internal sealed class MaxLengthCriterion(int maxLength) : IStoppingCriterion
{
    public bool IsDone(int rowLength, int lastToken) => rowLength >= maxLength;
}

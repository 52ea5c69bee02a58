namespace GptChat.Generation.Processors;

/// <summary>
/// Rewrites the next-token scores of one row in place, as a Hugging Face <c>LogitsProcessor</c> /
/// <c>LogitsWarper</c> does for one row of its batch. Implementations own their scratch buffers, so a
/// call allocates nothing.
/// </summary>
internal interface ILogitsProcessor
{
    void Process(TokenRow row, Span<float> scores);
}

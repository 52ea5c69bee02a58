namespace GptChat.Generation;

/// <summary>
/// One batch row as the processors see it (HF's <c>input_ids[row]</c>): the prompt followed by the tokens
/// generated so far, without copying them into one array.
/// </summary>
internal readonly ref struct TokenRow(ReadOnlySpan<int> prompt, ReadOnlySpan<int> generated)
{
    public ReadOnlySpan<int> Prompt { get; } = prompt;
    public ReadOnlySpan<int> Generated { get; } = generated;

    public int Length => Prompt.Length + Generated.Length;

    public int this[int index] => index < Prompt.Length ? Prompt[index] : Generated[index - Prompt.Length];

    public int Last => Generated.Length > 0 ? Generated[^1] : Prompt[^1];
}

namespace GptChat.Generation;

/// <summary>Why generation ended: <c>eos</c>, <c>length</c> (max length reached) or <c>stop</c> (cancelled or stopped by the caller).</summary>
public enum FinishReason { Eos, Length, Stop }

/// <summary>One returned sequence: the generated ids only (prompt removed, EOS kept, no padding).</summary>
public sealed record GeneratedSequence(IReadOnlyList<int> Ids, double? Score);

/// <summary>What a generation produced, best sequence first.</summary>
public sealed record GenerationResult(
    IReadOnlyList<int> PromptIds,
    IReadOnlyList<GeneratedSequence> Sequences,
    FinishReason FinishReason);

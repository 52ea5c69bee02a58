using GptChat.Generation;

namespace GptChat.Benchmarking;

/// <summary>
/// One of the standard benchmark workloads, identical to the peers' harnesses (see
/// ../shared/tools/peers/README.md) so that figures can be compared across programs.
/// </summary>
internal sealed record BenchWorkload(string Name, GenerationOptions Options)
{
    /// <summary>"The meaning of life is a test of the world": the prompt every peer feeds as ids.</summary>
    public static IReadOnlyList<int> PromptIds { get; } = [464, 3616, 286, 1204, 318, 257, 1332, 286, 262, 995];

    /// <summary>New tokens per generation; min = max so that EOS cannot end a run early.</summary>
    public const int NewTokens = 40;

    /// <summary>W1: greedy, batch 1.</summary>
    public static BenchWorkload Greedy { get; } = new("greedy", new GenerationOptions
    {
        MaxNewTokens = NewTokens,
        MinNewTokens = NewTokens,
        NumBeams = 1,
        DoSample = false,
    });

    /// <summary>W2: beam search, 5 beams, no repeated bigram, early stopping; in effect a batch-5 decode loop.</summary>
    public static BenchWorkload Beam5 { get; } = new("beam5", new GenerationOptions
    {
        MaxNewTokens = NewTokens,
        MinNewTokens = NewTokens,
        NumBeams = 5,
        NumReturnSequences = 1,
        NoRepeatNgramSize = 2,
        EarlyStopping = EarlyStopping.True,
        LengthPenalty = 1.0,
        DoSample = false,
    });

    /// <summary>The workloads named by <c>--workload</c> (greedy, beam5 or all).</summary>
    public static IReadOnlyList<BenchWorkload> Select(string name) => name switch
    {
        "greedy" => [Greedy],
        "beam5" => [Beam5],
        "all" => [Greedy, Beam5],
        _ => throw new GptChatException($"unknown workload '{name}' (use greedy, beam5 or all)", 2),
    };
}

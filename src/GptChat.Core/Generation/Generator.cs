namespace GptChat.Generation;

/// <summary>
/// Receives generated tokens as they become final: token by token for greedy and sampling; for beam
/// search the prefix that every live beam shares (and, at the end, the rest of the best sequence).
/// The span is only valid during the call.
/// </summary>
public delegate void StableTokensHandler(ReadOnlySpan<int> newTokens);

/// <summary>Entry point: picks greedy, sampling or beam search from the options, as HF's generate() does.</summary>
internal static class Generator
{
    /// <summary>Generates a continuation of <paramref name="promptIds"/>. Throws <see cref="ArgumentException"/> for option combinations that are not supported.</summary>
    public static GenerationResult Generate(
        ICausalLM model,
        IReadOnlyList<int> promptIds,
        GenerationOptions options,
        StableTokensHandler? onStableTokens = null,
        CancellationToken cancellationToken = default)
        => throw new NotImplementedException("generation lands in the Generation work");
}

namespace GptChat.Generation;

/// <summary>
/// Receives generated tokens as they become final: token by token for greedy and sampling; for beam
/// search the prefix that every live beam shares (and, at the end, the rest of the best sequence).
/// EOS is never streamed, so everything streamed, concatenated, is the best sequence without its EOS.
/// The span is only valid during the call.
/// </summary>
public delegate void StableTokensHandler(ReadOnlySpan<int> newTokens);

/// <summary>Entry point: picks greedy, sampling or beam search from the options, as HF's generate() does.</summary>
internal static class Generator
{
    /// <summary>
    /// Generates a continuation of <paramref name="promptIds"/>.
    /// </summary>
    /// <remarks>
    /// max_length is clamped to the model's context length (HF would run past n_positions and fail);
    /// a prompt that already fills the context, or reaches max_length, is rejected (the host shortens
    /// prompts beforehand). Cancellation is checked between steps (and passed to the model): generation
    /// then returns what it has, with <see cref="FinishReason.Stop"/>, instead of throwing.
    /// </remarks>
    /// <exception cref="GenerationOptionException">Options or prompt that cannot be honoured (one-line message).</exception>
    public static GenerationResult Generate(
        ICausalLM model,
        IReadOnlyList<int> promptIds,
        GenerationOptions options,
        StableTokensHandler? onStableTokens = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(promptIds);
        GenerationOptionsValidator.Validate(options);
        var prompt = promptIds.ToArray();
        GenerationOptionsValidator.ValidateForModel(options, model.VocabSize, model.ContextLength, prompt);

        var maxLength = Math.Min(options.EffectiveMaxLength(prompt.Length), model.ContextLength);
        GenerationOptionsValidator.ValidateFits(options, model.VocabSize, model.CacheBytesPerToken, maxLength,
                                                GC.GetGCMemoryInfo().TotalAvailableMemoryBytes);
        return options.NumBeams > 1
            ? new BeamSearch(model, prompt, options, maxLength).Run(onStableTokens, cancellationToken)
            : new SampleSearch(model, prompt, options, maxLength).Run(onStableTokens, cancellationToken);
    }
}

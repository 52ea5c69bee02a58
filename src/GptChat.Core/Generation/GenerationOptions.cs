namespace GptChat.Generation;

/// <summary>How <c>early_stopping</c> ends a beam search (Hugging Face accepts true, false or "never").</summary>
public enum EarlyStopping
{
    /// <summary>Stop as soon as <c>num_beams</c> hypotheses are finished.</summary>
    True,
    /// <summary>Stop when no running beam can still beat the worst finished one (heuristic, current length).</summary>
    False,
    /// <summary>Stop only when no running beam can beat the worst finished one at <c>max_length</c>.</summary>
    Never,
}

/// <summary>
/// Generation settings with Hugging Face <c>GenerationConfig</c> names and defaults.
/// The app's own defaults (max_length 50, 5 beams, …) are applied by the host, not here.
/// </summary>
public sealed record GenerationOptions
{
    /// <summary>Total length, prompt included. Ignored when <see cref="MaxNewTokens"/> is set.</summary>
    public int MaxLength { get; init; } = 20;
    public int? MaxNewTokens { get; init; }
    /// <summary>Total length (prompt included) before which EOS is banned.</summary>
    public int MinLength { get; init; }
    public int? MinNewTokens { get; init; }
    public int NumBeams { get; init; } = 1;
    public int NumReturnSequences { get; init; } = 1;
    public EarlyStopping EarlyStopping { get; init; } = EarlyStopping.False;
    public double LengthPenalty { get; init; } = 1.0;
    public int NoRepeatNgramSize { get; init; }
    public double RepetitionPenalty { get; init; } = 1.0;
    public bool DoSample { get; init; }
    public double Temperature { get; init; } = 1.0;
    public int TopK { get; init; } = 50;
    public double TopP { get; init; } = 1.0;
    public ulong? Seed { get; init; }
    public int EosTokenId { get; init; } = 50256;
    public int PadTokenId { get; init; } = 50256;

    /// <summary>The max_length rule of HF: max_new_tokens, when set, wins over max_length.</summary>
    public int EffectiveMaxLength(int promptLength) =>
        MaxNewTokens is int n ? SaturatingAdd(promptLength, n) : MaxLength;

    /// <summary>min_new_tokens counts from the end of the prompt; min_length counts the prompt.</summary>
    public int EffectiveMinLength(int promptLength) =>
        Math.Max(MinLength, MinNewTokens is int n ? SaturatingAdd(promptLength, n) : 0);

    // "As many as possible" is often spelled int.MaxValue; it must not wrap around to a negative length.
    private static int SaturatingAdd(int a, int b) => (int)Math.Clamp((long)a + b, int.MinValue, int.MaxValue);
}

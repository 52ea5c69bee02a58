using GptChat.Chat;
using GptChat.Generation;

namespace GptChat.Cli.Chat;

/// <summary>What shapes each reply; changed by flags at start-up and by <c>/set</c> during a chat.</summary>
internal sealed class ReplySettings
{
    /// <summary>The reference program's settings: max_length 50, 5 beams, no repeated bigram, early stopping.</summary>
    public static GenerationOptions AppDefaults { get; } = new()
    {
        MaxLength = 50,
        NumBeams = 5,
        NoRepeatNgramSize = 2,
        EarlyStopping = EarlyStopping.True,
    };

    public GenerationOptions Generation { get; set; } = AppDefaults;

    /// <summary>True once <c>--max-length</c> was given: it is then honoured as HF would (see <see cref="ReplyLength"/>).</summary>
    public bool MaxLengthExplicit { get; set; }

    public ChatFormat Format { get; set; } = ChatFormat.Plain;

    /// <summary>The settings line for the banner and <c>/show</c>.</summary>
    public string Describe()
    {
        var g = Generation;
        var parts = new List<string>
        {
            g.MaxNewTokens is int n ? $"max_new_tokens {n}" : $"max_length {g.MaxLength}",
            g.DoSample ? $"sampling (temperature {g.Temperature}, top_k {g.TopK}, top_p {g.TopP}{(g.Seed is ulong s ? $", seed {s}" : "")})" : g.NumBeams > 1 ? $"beams {g.NumBeams}" : "greedy",
        };
        if (g.NumBeams > 1)
            parts.Add($"early_stopping {GenerationFlags.Spell(g.EarlyStopping)}");
        if (g.NoRepeatNgramSize > 0)
            parts.Add($"no_repeat_ngram_size {g.NoRepeatNgramSize}");
        if (g.RepetitionPenalty != 1.0)
            parts.Add($"repetition_penalty {g.RepetitionPenalty}");
        if (g.LengthPenalty != 1.0)
            parts.Add($"length_penalty {g.LengthPenalty}");
        if (g.MinLength > 0)
            parts.Add($"min_length {g.MinLength}");
        if (g.MinNewTokens is int m)
            parts.Add($"min_new_tokens {m}");
        if (g.NumReturnSequences > 1)
            parts.Add($"num_return_sequences {g.NumReturnSequences}");
        parts.Add($"format {GenerationFlags.Spell(Format)}");
        return string.Join(", ", parts);
    }
}

namespace GptChat.Generation;

/// <summary>
/// Rejects option values and combinations that generation cannot honour, before any model is loaded.
/// Each failure is a <see cref="GenerationOptionException"/> (an <see cref="ArgumentException"/>) whose message is
/// one line naming the option by its Hugging Face name, for the host to show as is.
/// </summary>
public static class GenerationOptionsValidator
{
    /// <summary>The smallest sampling temperature: logits of any real model divided by it stay finite in float32.</summary>
    public const double MinTemperature = 1e-30;

    public static void Validate(GenerationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.MaxNewTokens is int maxNew)
            Require(maxNew >= 1, "max_new_tokens", $"max_new_tokens must be at least 1 (got {maxNew}).");
        else
            Require(options.MaxLength >= 1, "max_length", $"max_length must be at least 1 (got {options.MaxLength}).");
        Require(options.MinLength >= 0, "min_length", $"min_length must not be negative (got {options.MinLength}).");
        if (options.MinNewTokens is int minNew)
            Require(minNew >= 0, "min_new_tokens", $"min_new_tokens must not be negative (got {minNew}).");
        Require(options.NumBeams >= 1, "num_beams", $"num_beams must be at least 1 (got {options.NumBeams}).");
        Require(options.NumReturnSequences >= 1, "num_return_sequences",
            $"num_return_sequences must be at least 1 (got {options.NumReturnSequences}).");
        Require(options.NoRepeatNgramSize >= 0, "no_repeat_ngram_size",
            $"no_repeat_ngram_size must not be negative (got {options.NoRepeatNgramSize}).");
        Require(options.RepetitionPenalty > 0 && double.IsFinite(options.RepetitionPenalty), "repetition_penalty",
            $"repetition_penalty must be a positive number (got {options.RepetitionPenalty}).");
        Require(double.IsFinite(options.LengthPenalty), "length_penalty",
            $"length_penalty must be a finite number (got {options.LengthPenalty}).");
        Require(options.EosTokenId >= 0, "eos_token_id", $"eos_token_id must not be negative (got {options.EosTokenId}).");
        Require(options.PadTokenId >= 0, "pad_token_id", $"pad_token_id must not be negative (got {options.PadTokenId}).");

        if (options.NumBeams > 1)
        {
            Require(!options.DoSample, "do_sample",
                "beam search with do_sample (beam sampling) is not supported: use num_beams 1 to sample, or turn do_sample off.");
            Require(options.NumReturnSequences <= options.NumBeams, "num_return_sequences",
                $"num_return_sequences ({options.NumReturnSequences}) must not exceed num_beams ({options.NumBeams}).");
        }
        else if (!options.DoSample)
        {
            Require(options.NumReturnSequences == 1, "num_return_sequences",
                $"greedy search returns one sequence: num_return_sequences must be 1 (got {options.NumReturnSequences}); use beam search or do_sample for more.");
        }

        if (options.DoSample)
        {
            Require(options.Temperature > 0 && double.IsFinite(options.Temperature), "temperature",
                $"temperature must be a positive number when sampling (got {options.Temperature}).");
            // Scores divided by less overflow float32 (1e-40 gave ±inf, NaN probabilities and garbage tokens; HF's
            // multinomial raises there). Down to it, a tiny temperature behaves as greedy search, as it should.
            Require(options.Temperature >= MinTemperature, "temperature",
                $"temperature must be at least {MinTemperature:G} when sampling (got {options.Temperature:G}): smaller ones overflow the scores; for the likeliest tokens, turn do_sample off.");
            Require(options.TopK >= 0, "top_k", $"top_k must not be negative (got {options.TopK}).");
            Require(options.TopP > 0 && options.TopP <= 1, "top_p", $"top_p must be in (0, 1] (got {options.TopP}).");
        }
    }

    /// <summary>
    /// The checks that need the model: token ids inside its vocabulary and a prompt that leaves room to
    /// generate. pad_token_id is not checked: the output is never padded, so it is never used.
    /// </summary>
    internal static void ValidateForModel(GenerationOptions options, int vocabSize, int contextLength, ReadOnlySpan<int> promptIds)
    {
        Require(options.EosTokenId < vocabSize, "eos_token_id",
            $"eos_token_id {options.EosTokenId} is outside the model's vocabulary (size {vocabSize}).");
        Require(promptIds.Length > 0, "prompt", "the prompt is empty: give at least one token.");
        foreach (var id in promptIds)
            Require(id >= 0 && id < vocabSize, "prompt", $"prompt token id {id} is outside the model's vocabulary (size {vocabSize}).");
        Require(promptIds.Length < contextLength, "prompt",
            $"the prompt has {promptIds.Length} tokens but the model's context holds {contextLength}: shorten it to leave room for a reply.");
        var maxLength = options.EffectiveMaxLength(promptIds.Length);
        Require(promptIds.Length < maxLength, "max_length",
            $"the prompt has {promptIds.Length} tokens, which already reaches max_length ({maxLength}): raise max_length or use max_new_tokens.");
    }

    /// <summary>
    /// Refuses a batch (num_beams, or num_return_sequences when sampling) whose scores and KV cache cannot fit in
    /// <paramref name="availableBytes"/>: <c>--num-beams 100000</c> must be one clear line, not an overflow or the
    /// kernel's OOM killer halfway through.
    /// </summary>
    internal static void ValidateFits(GenerationOptions options, int vocabSize, long cacheBytesPerToken, int maxLength, long availableBytes)
    {
        var (rows, option) = options.NumBeams > 1 ? (options.NumBeams, "num_beams")
            : options.DoSample ? (options.NumReturnSequences, "num_return_sequences") : (1, "num_beams");
        // Per row: the model's logits, the scores and their processed copy (float32 × vocabulary, with room to
        // spare), and the cache, whose buffers grow by half again up to the final length.
        var perRow = 4L * sizeof(float) * vocabSize + cacheBytesPerToken * (maxLength + maxLength / 2);
        var needed = rows * perRow;
        Require((long)rows * vocabSize <= Array.MaxLength && needed <= availableBytes, option,
            $"{option} {rows} needs about {Gib(needed)} of memory for its scores and cache, more than the {Gib(availableBytes)} available: use fewer.");
    }

    private static string Gib(long bytes) => $"{bytes / (double)(1L << 30):0.#} GiB";

    private static void Require(bool condition, string option, string message)
    {
        if (!condition)
            throw new GenerationOptionException(option, message);
    }
}

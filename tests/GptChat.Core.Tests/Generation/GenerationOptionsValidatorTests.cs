using GptChat.Generation;

namespace GptChat.Core.Tests.Generation;

public class GenerationOptionsValidatorTests
{
    public static TheoryData<GenerationOptions, string> Invalid => new()
    {
        { new GenerationOptions { MaxLength = 0 }, "max_length" },
        { new GenerationOptions { MaxNewTokens = 0 }, "max_new_tokens" },
        { new GenerationOptions { MinLength = -1 }, "min_length" },
        { new GenerationOptions { MinNewTokens = -1 }, "min_new_tokens" },
        { new GenerationOptions { NumBeams = 0 }, "num_beams" },
        { new GenerationOptions { NumReturnSequences = 0 }, "num_return_sequences" },
        { new GenerationOptions { NumBeams = 5, NumReturnSequences = 6 }, "num_return_sequences" },
        { new GenerationOptions { NumReturnSequences = 2 }, "num_return_sequences" },
        { new GenerationOptions { NumBeams = 2, DoSample = true }, "do_sample" },
        { new GenerationOptions { NoRepeatNgramSize = -1 }, "no_repeat_ngram_size" },
        { new GenerationOptions { RepetitionPenalty = 0 }, "repetition_penalty" },
        { new GenerationOptions { RepetitionPenalty = double.NaN }, "repetition_penalty" },
        { new GenerationOptions { LengthPenalty = double.PositiveInfinity }, "length_penalty" },
        { new GenerationOptions { DoSample = true, Temperature = 0 }, "temperature" },
        { new GenerationOptions { DoSample = true, Temperature = 1e-40 }, "temperature" },
        { new GenerationOptions { DoSample = true, TopK = -1 }, "top_k" },
        { new GenerationOptions { DoSample = true, TopP = 0 }, "top_p" },
        { new GenerationOptions { DoSample = true, TopP = 1.5 }, "top_p" },
        { new GenerationOptions { EosTokenId = -1 }, "eos_token_id" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Invalid_options_are_rejected_with_one_line_naming_the_option(GenerationOptions options, string option)
    {
        var e = Assert.Throws<GenerationOptionException>(() => GenerationOptionsValidator.Validate(options));
        Assert.Equal(option, e.Option);
        Assert.Contains(option, e.Message);
        Assert.DoesNotContain('\n', e.Message);
        Assert.DoesNotContain("Parameter", e.Message);
    }

    public static TheoryData<GenerationOptions> Valid => new()
    {
        new GenerationOptions(),
        new GenerationOptions { NumBeams = 5, NumReturnSequences = 5, EarlyStopping = EarlyStopping.Never, LengthPenalty = -1 },
        new GenerationOptions { DoSample = true, NumReturnSequences = 3, TopK = 0, TopP = 1, Temperature = 0.01 },
        // Sampling-only values are ignored without sampling, as HF only warns about them.
        new GenerationOptions { Temperature = 0, TopP = 5, TopK = -3 },
        new GenerationOptions { MaxLength = 0, MaxNewTokens = 1 },
    };

    [Theory]
    [MemberData(nameof(Valid))]
    public void Valid_options_pass(GenerationOptions options) => GenerationOptionsValidator.Validate(options);

    [Fact]
    public void Generate_validates_before_running_the_model()
    {
        var model = new ScriptedModel(8);
        Assert.Throws<GenerationOptionException>(() => Generator.Generate(model, [0], new GenerationOptions { NumBeams = 0, EosTokenId = 7 }));
        Assert.Throws<GenerationOptionException>(() => Generator.Generate(model, [], new GenerationOptions { EosTokenId = 7 }));
        Assert.Throws<GenerationOptionException>(() => Generator.Generate(model, [8], new GenerationOptions { EosTokenId = 7 }));
        Assert.Throws<GenerationOptionException>(() => Generator.Generate(model, [0], new GenerationOptions { EosTokenId = 8 }));
        Assert.Equal(0, model.PrefillCalls);
    }

    // GPT-2 124M: 12 layers × (key + value) × 768 floats per position, in two buffer sets.
    private const long Gpt2CacheBytesPerToken = 2 * 12 * 2 * 768 * sizeof(float);
    private const long Gib = 1L << 30;

    [Fact]
    public void A_batch_that_fits_in_memory_passes()
    {
        GenerationOptionsValidator.ValidateFits(new GenerationOptions { NumBeams = 5 }, 50257, Gpt2CacheBytesPerToken, 1024, 4 * Gib);
        GenerationOptionsValidator.ValidateFits(new GenerationOptions { NumBeams = 64 }, 50257, Gpt2CacheBytesPerToken, 50, 4 * Gib);
    }

    [Theory]
    [InlineData(100_000, false, 50, "num_beams")]          // scores alone: 100000 × 50257 floats
    [InlineData(200, false, 1024, "num_beams")]            // the cache: 200 rows × 1024 positions × 147 KiB
    [InlineData(100_000, true, 50, "num_return_sequences")] // sampling: one row per returned sequence
    public void A_batch_too_large_for_memory_is_refused_naming_the_option(int rows, bool sample, int maxLength, string option)
    {
        var options = sample ? new GenerationOptions { DoSample = true, NumReturnSequences = rows } : new GenerationOptions { NumBeams = rows };

        var e = Assert.Throws<GenerationOptionException>(() =>
            GenerationOptionsValidator.ValidateFits(options, 50257, Gpt2CacheBytesPerToken, maxLength, 24 * Gib));

        Assert.Equal(option, e.Option);
        Assert.Contains("GiB", e.Message);
    }

    [Fact]
    public void Scores_beyond_the_largest_array_are_refused_whatever_the_memory()
    {
        // 50000 beams × 50257 scores is more elements than one .NET array may hold (an int overflow before this check).
        Assert.Throws<GenerationOptionException>(() =>
            GenerationOptionsValidator.ValidateFits(new GenerationOptions { NumBeams = 50_000 }, 50257, 0, 50, long.MaxValue));
    }

    [Fact]
    public void Generate_checks_the_batch_against_the_model_cache_before_running_it()
    {
        var model = new ScriptedModel(vocabSize: 16) { CacheBytesPerToken = 1L << 40 };

        Assert.Throws<GenerationOptionException>(() => Generator.Generate(model, [1], new GenerationOptions { NumBeams = 2, MaxNewTokens = 4 }));
        Assert.Equal(0, model.PrefillCalls);
    }
}

using GptChat.Generation;

namespace GptChat.Core.Tests.Generation;

public class GreedySearchTests
{
    private const int Eos = 7;

    private static GenerationOptions Options(int maxNewTokens = 5) =>
        new() { MaxNewTokens = maxNewTokens, EosTokenId = Eos, PadTokenId = Eos };

    [Fact]
    public void Greedy_follows_the_most_likely_token_until_eos()
    {
        var model = new ScriptedModel(8)
            .On([0], (2, 0.6), (3, 0.3))
            .On([0, 2], (4, 0.5))
            .On([0, 2, 4], (Eos, 0.9));
        var result = Generator.Generate(model, [0], Options());
        Assert.Equal([2, 4, Eos], result.Sequences.Single().Ids);
        Assert.Null(result.Sequences[0].Score);
        Assert.Equal(FinishReason.Eos, result.FinishReason);
        Assert.Equal([0], result.PromptIds);
        Assert.Equal([1, 1], model.DecodeBatchSizes); // no model run after the last token
    }

    [Fact]
    public void Greedy_stops_at_max_new_tokens_with_reason_length()
    {
        var model = new ScriptedModel(8).Otherwise((3, 0.5));
        var result = Generator.Generate(model, [0, 1], Options(maxNewTokens: 4));
        Assert.Equal([3, 3, 3, 3], result.Sequences[0].Ids);
        Assert.Equal(FinishReason.Length, result.FinishReason);
    }

    [Fact]
    public void Max_length_counts_the_prompt()
    {
        var model = new ScriptedModel(8).Otherwise((3, 0.5));
        var result = Generator.Generate(model, [0, 1], new GenerationOptions { MaxLength = 5, EosTokenId = Eos });
        Assert.Equal([3, 3, 3], result.Sequences[0].Ids);
    }

    [Fact]
    public void Greedy_ties_go_to_the_lowest_token_id()
    {
        var model = new ScriptedModel(8).On([0], (5, 0.4), (3, 0.4)).Otherwise((Eos, 0.9));
        var result = Generator.Generate(model, [0], Options());
        Assert.Equal([3, Eos], result.Sequences[0].Ids);
    }

    [Fact]
    public void No_repeat_ngram_bans_a_bigram_of_the_prompt()
    {
        var model = new ScriptedModel(8).On([1, 2, 1], (2, 0.6), (3, 0.3)).Otherwise((Eos, 0.9));
        Assert.Equal([2, Eos], Generator.Generate(model, [1, 2, 1], Options()).Sequences[0].Ids);
        var banned = Generator.Generate(model, [1, 2, 1], Options() with { NoRepeatNgramSize = 2 });
        Assert.Equal([3, Eos], banned.Sequences[0].Ids);
    }

    [Fact]
    public void Repetition_penalty_multiplies_a_negative_logit_of_a_seen_token()
    {
        // ln 0.5 = -0.693 beats ln 0.4 = -0.916; × 1.3 = -0.901 still wins; × 1.5 = -1.040 loses.
        var model = new ScriptedModel(8).On([1], (1, 0.5), (2, 0.4)).Otherwise((Eos, 0.9));
        Assert.Equal([1, Eos], Generator.Generate(model, [1], Options() with { RepetitionPenalty = 1.3 }).Sequences[0].Ids);
        Assert.Equal([2, Eos], Generator.Generate(model, [1], Options() with { RepetitionPenalty = 1.5 }).Sequences[0].Ids);
    }

    [Theory]
    [InlineData(null, 0, new[] { Eos })]
    [InlineData(null, 2, new[] { 1, Eos })]          // prompt (1) + 1 token reaches min_length 2
    [InlineData(null, 3, new[] { 1, 2, Eos })]
    [InlineData(2, 0, new[] { 1, 2, Eos })]          // min_new_tokens ignores the prompt
    [InlineData(1, 3, new[] { 1, 2, Eos })]          // the stricter of both rules wins
    public void Min_length_and_min_new_tokens_ban_eos(int? minNewTokens, int minLength, int[] expected)
    {
        var model = new ScriptedModel(8)
            .On([0], (Eos, 0.6), (1, 0.3))
            .On([0, 1], (Eos, 0.6), (2, 0.3))
            .Otherwise((Eos, 0.6), (3, 0.3));
        var options = Options() with { MinNewTokens = minNewTokens, MinLength = minLength };
        Assert.Equal(expected, Generator.Generate(model, [0], options).Sequences[0].Ids);
    }

    [Fact]
    public void Streaming_sends_each_token_once_and_never_the_eos()
    {
        var model = new ScriptedModel(8).On([0], (2, 0.6)).On([0, 2], (4, 0.5)).On([0, 2, 4], (Eos, 0.9));
        var chunks = new List<int[]>();
        var result = Generator.Generate(model, [0], Options(), t => chunks.Add(t.ToArray()));
        Assert.Equal([[2], [4]], chunks);
        Assert.Equal([2, 4, Eos], result.Sequences[0].Ids);
    }

    [Fact]
    public void Cancellation_returns_the_tokens_so_far_with_reason_stop()
    {
        var model = new ScriptedModel(8).Otherwise((3, 0.5));
        using var cts = new CancellationTokenSource();
        var streamed = 0;
        var result = Generator.Generate(model, [0], Options(maxNewTokens: 10), t =>
        {
            if (++streamed == 2)
                cts.Cancel();
        }, cts.Token);
        Assert.Equal([3, 3], result.Sequences[0].Ids);
        Assert.Equal(FinishReason.Stop, result.FinishReason);
    }

    [Fact]
    public void Cancellation_inside_the_model_is_not_thrown()
    {
        using var cts = new CancellationTokenSource();
        var model = new ScriptedModel(8) { BeforeDecode = _ => { cts.Cancel(); cts.Token.ThrowIfCancellationRequested(); } }
            .Otherwise((3, 0.5));
        var result = Generator.Generate(model, [0], Options(), null, cts.Token);
        Assert.Equal([3], result.Sequences[0].Ids);
        Assert.Equal(FinishReason.Stop, result.FinishReason);
    }

    [Fact]
    public void Max_length_is_clamped_to_the_context_and_a_full_prompt_is_rejected()
    {
        var model = new ScriptedModel(8, contextLength: 5).Otherwise((3, 0.5));
        var result = Generator.Generate(model, [0, 1], Options(maxNewTokens: 100));
        Assert.Equal([3, 3, 3], result.Sequences[0].Ids);
        Assert.Equal(FinishReason.Length, result.FinishReason);

        var full = Assert.Throws<GenerationOptionException>(() => Generator.Generate(model, [0, 1, 2, 3, 4], Options()));
        Assert.Contains("context", full.Message);
    }

    [Fact]
    public void A_huge_max_new_tokens_means_up_to_the_context()
    {
        var model = new ScriptedModel(8, contextLength: 6).Otherwise((3, 0.5));
        var result = Generator.Generate(model, [0, 1], Options() with { MaxNewTokens = int.MaxValue, MinNewTokens = int.MaxValue });
        Assert.Equal([3, 3, 3, 3], result.Sequences[0].Ids);
        Assert.Equal(FinishReason.Length, result.FinishReason);
    }

    [Fact]
    public void A_prompt_that_reaches_max_length_is_rejected_like_hf()
    {
        var model = new ScriptedModel(8);
        var e = Assert.Throws<GenerationOptionException>(() =>
            Generator.Generate(model, [0, 1, 2], new GenerationOptions { MaxLength = 3, EosTokenId = Eos }));
        Assert.Equal("max_length", e.Option);
        Assert.Equal(0, model.PrefillCalls);
    }
}

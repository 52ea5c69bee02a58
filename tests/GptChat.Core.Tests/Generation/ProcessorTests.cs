using GptChat.Generation;
using GptChat.Generation.Processors;

namespace GptChat.Core.Tests.Generation;

public class ProcessorTests
{
    [Fact]
    public void Repetition_penalty_divides_positive_and_multiplies_negative_scores_once_per_distinct_token()
    {
        float[] scores = [2f, -2f, 1f, -1f, 0.5f];
        // token 1 appears twice (prompt and generated) but is penalised once; tokens 3, 4 are not in the row.
        new RepetitionPenaltyProcessor(2.0, 5).Process(new TokenRow([0, 1], [1, 2]), scores);
        Assert.Equal([1f, -4f, 0.5f, -1f, 0.5f], scores);
    }

    [Fact]
    public void Repetition_penalty_forgets_the_previous_row()
    {
        var processor = new RepetitionPenaltyProcessor(2.0, 3);
        float[] first = [2f, 2f, 2f];
        processor.Process(new TokenRow([0], []), first);
        float[] second = [2f, 2f, 2f];
        processor.Process(new TokenRow([2], []), second);
        Assert.Equal([1f, 2f, 2f], first);
        Assert.Equal([2f, 2f, 1f], second);
    }

    [Fact]
    public void No_repeat_bigram_bans_tokens_that_followed_the_last_token_anywhere_in_the_row_prompt_included()
    {
        var scores = new float[6];
        // Row 1 2 | 3 1: the last token 1 was followed by 2 (in the prompt) and the bigram (3,1) is new.
        new NoRepeatNGramProcessor(2).Process(new TokenRow([1, 2], [3, 1]), scores);
        Assert.Equal([0f, 0f, float.NegativeInfinity, 0f, 0f, 0f], scores);
    }

    [Fact]
    public void No_repeat_trigram_needs_the_whole_two_token_prefix_to_match()
    {
        var scores = new float[6];
        // Row 4 5 1 | 3 5 1 2 4 5: prefix (4,5) was followed by 1 at the start; (5,1) twice but that is not the prefix.
        new NoRepeatNGramProcessor(3).Process(new TokenRow([4, 5, 1], [3, 5, 1, 2, 4, 5]), scores);
        Assert.Equal([0f, float.NegativeInfinity, 0f, 0f, 0f, 0f], scores);
    }

    [Fact]
    public void No_repeat_ngram_does_nothing_while_the_row_is_shorter_than_n()
    {
        var scores = new float[4];
        new NoRepeatNGramProcessor(3).Process(new TokenRow([1], [1]), scores);
        Assert.All(scores, s => Assert.Equal(0f, s));
    }

    [Fact]
    public void Min_length_counts_the_prompt_and_min_new_tokens_does_not()
    {
        var minLength = new MinLengthProcessor(3, eosTokenId: 2);
        var minNew = new MinNewTokensProcessor(2, eosTokenId: 2);
        float[] a = [0, 0, 0], b = [0, 0, 0], c = [0, 0, 0], d = [0, 0, 0];
        minLength.Process(new TokenRow([1, 1], []), a);      // length 2 < 3: banned
        minLength.Process(new TokenRow([1, 1], [0]), b);     // length 3: allowed
        minNew.Process(new TokenRow([1, 1, 1], [0]), c);     // 1 new < 2: banned
        minNew.Process(new TokenRow([1], [0, 0]), d);        // 2 new: allowed
        Assert.Equal(float.NegativeInfinity, a[2]);
        Assert.Equal(0f, b[2]);
        Assert.Equal(float.NegativeInfinity, c[2]);
        Assert.Equal(0f, d[2]);
    }

    [Fact]
    public void Temperature_divides_every_score()
    {
        float[] scores = [1f, -2f, 4f];
        new TemperatureWarper(0.5).Process(default, scores);
        Assert.Equal([2f, -4f, 8f], scores);
    }

    [Fact]
    public void Top_k_keeps_the_k_largest_and_every_score_tied_with_the_kth()
    {
        float[] scores = [1f, 5f, 3f, 3f, 0f, 4f];
        new TopKWarper(3).Process(default, scores);
        var ninf = float.NegativeInfinity;
        Assert.Equal([ninf, 5f, 3f, 3f, ninf, 4f], scores);
    }

    [Fact]
    public void Top_p_keeps_the_smallest_set_reaching_the_mass_and_always_the_best_token()
    {
        // Probabilities 0.5, 0.3, 0.15, 0.05.
        float[] Scores() => [MathF.Log(0.15f), MathF.Log(0.5f), MathF.Log(0.05f), MathF.Log(0.3f)];
        var ninf = float.NegativeInfinity;

        var a = Scores();
        new TopPWarper(0.7, 4).Process(default, a);   // 0.5 < 0.7, 0.5 + 0.3 ≥ 0.7: keep two
        Assert.Equal([ninf, MathF.Log(0.5f), ninf, MathF.Log(0.3f)], a);

        var b = Scores();
        new TopPWarper(0.9, 4).Process(default, b);   // 0.8 < 0.9: the third joins
        Assert.Equal([MathF.Log(0.15f), MathF.Log(0.5f), ninf, MathF.Log(0.3f)], b);

        var c = Scores();
        new TopPWarper(0.1, 4).Process(default, c);   // the best token stays even alone above the mass
        Assert.Equal([ninf, MathF.Log(0.5f), ninf, ninf], c);
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(0.95)]
    public void Top_p_over_a_flat_vocabulary_matches_the_sorted_definition(double topP)
    {
        // 3000 tokens with distinct, slowly falling scores: the nucleus is far larger than the first selections.
        var scores = Enumerable.Range(0, 3000).Select(i => -i / 1000f).ToArray();
        var probs = scores.Select(s => Math.Exp(s)).ToArray();
        var total = probs.Sum();
        var expectedKept = 0;
        for (double before = 0; expectedKept < probs.Length && before / total < topP; expectedKept++)
            before += probs[expectedKept];

        new TopPWarper(topP, 3000).Process(default, scores);
        var kept = scores.Count(float.IsFinite);
        Assert.InRange(kept, expectedKept - 1, expectedKept + 1); // float32 vs double sums at the boundary
        Assert.True(kept > 512);
        Assert.All(scores.Take(kept), s => Assert.True(float.IsFinite(s)));
    }

    [Fact]
    public void Processor_list_follows_hf_order_and_leaves_out_neutral_options()
    {
        Assert.Equal(0, LogitsProcessorList.Create(new GenerationOptions(), 10).Count);
        // Sampling adds top-k 50 (the default) but not temperature 1 or top-p 1.
        Assert.Equal(1, LogitsProcessorList.Create(new GenerationOptions { DoSample = true }, 10).Count);
        var all = new GenerationOptions
        {
            RepetitionPenalty = 2, NoRepeatNgramSize = 2, MinLength = 3, MinNewTokens = 1,
            DoSample = true, Temperature = 0.5, TopK = 2, TopP = 0.9, EosTokenId = 0,
        };
        Assert.Equal(7, LogitsProcessorList.Create(all, 10).Count);

        // The repetition penalty (raw 4 → 2) runs before top-k 1, so token 1 (3, then 6 at temperature 0.5)
        // survives; top-k first would have kept token 0.
        float[] scores = [4f, 3f, 1f, 0f];
        var list = LogitsProcessorList.Create(new GenerationOptions
        {
            RepetitionPenalty = 2, DoSample = true, Temperature = 0.5, TopK = 1,
        }, 4);
        list.Process(new TokenRow([0], []), scores);
        Assert.Equal([float.NegativeInfinity, 6f, float.NegativeInfinity, float.NegativeInfinity], scores);
    }

    [Fact]
    public void Top_k_selector_orders_by_score_then_lower_index_and_skips_nan()
    {
        var selector = new TopKSelector(4);
        selector.Select([1f, 7f, float.NaN, 7f, 3f, 9f, 3f], 4);
        Assert.Equal([5, 1, 3, 4], selector.Indices.ToArray());
        Assert.Equal([9f, 7f, 7f, 3f], selector.Values.ToArray());
    }
}

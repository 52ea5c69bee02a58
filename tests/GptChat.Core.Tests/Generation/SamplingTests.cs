using GptChat.Generation;

namespace GptChat.Core.Tests.Generation;

public class SamplingTests
{
    private const int Eos = 7;

    private static GenerationOptions Sampling(ulong seed) =>
        new() { DoSample = true, Seed = seed, MaxNewTokens = 1, EosTokenId = Eos, PadTokenId = Eos, TopK = 0 };

    // Only tokens 1 and 2 have mass (the others get ln 0 = -inf).
    private static ScriptedModel TwoWay() => new ScriptedModel(8).Otherwise((1, 0.7), (2, 0.3));

    [Fact]
    public void The_same_seed_draws_the_same_tokens()
    {
        var model = new ScriptedModel(8).Otherwise((Eos, 0));  // 1/7 for each other token: every draw is up to the generator
        var options = Sampling(42) with { MaxNewTokens = 20 };
        var a = Generator.Generate(model, [1], options);
        var b = Generator.Generate(model, [1], options);
        var c = Generator.Generate(model, [1], options with { Seed = 43 });
        Assert.Equal(20, a.Sequences[0].Ids.Count);
        Assert.Equal(a.Sequences[0].Ids, b.Sequences[0].Ids);
        Assert.NotEqual(a.Sequences[0].Ids, c.Sequences[0].Ids);
    }

    [Fact]
    public void Draws_follow_the_softmax_probabilities()
    {
        var counts = new int[8];
        for (var seed = 0UL; seed < 2000; seed++)
            counts[Generator.Generate(TwoWay(), [0], Sampling(seed)).Sequences[0].Ids[0]]++;
        // 0.7 / 0.3 over 2000 draws: the standard deviation is about 20, so ±100 never fails by chance
        // (and the seeds are fixed, so neither does the test).
        Assert.InRange(counts[1], 1300, 1500);
        Assert.InRange(counts[2], 500, 700);
        Assert.Equal(2000, counts[1] + counts[2]);
    }

    [Fact]
    public void Top_k_1_and_a_tiny_top_p_sample_only_the_best_token()
    {
        for (var seed = 0UL; seed < 50; seed++)
        {
            Assert.Equal(1, Generator.Generate(TwoWay(), [0], Sampling(seed) with { TopK = 1 }).Sequences[0].Ids[0]);
            Assert.Equal(1, Generator.Generate(TwoWay(), [0], Sampling(seed) with { TopP = 0.05 }).Sequences[0].Ids[0]);
        }
    }

    [Fact]
    public void A_low_temperature_sharpens_the_distribution()
    {
        var best = 0;
        for (var seed = 0UL; seed < 200; seed++)
            if (Generator.Generate(TwoWay(), [0], Sampling(seed) with { Temperature = 0.1 }).Sequences[0].Ids[0] == 1)
                best++;
        // At t = 0.1, p(1) = 0.7^10 / (0.7^10 + 0.3^10) ≈ 0.9998.
        Assert.True(best >= 198, $"token 1 drawn {best} times of 200");
    }

    [Fact]
    public void Several_return_sequences_are_drawn_independently_and_finish_on_their_own()
    {
        var model = new ScriptedModel(8).Otherwise((Eos, 0.3), (1, 0.35), (2, 0.35));
        var result = Generator.Generate(model, [0],
            Sampling(7) with { NumReturnSequences = 6, MaxNewTokens = 8 });
        Assert.Equal(6, result.Sequences.Count);
        Assert.Contains(result.Sequences, s => s.Ids[^1] == Eos);
        Assert.True(result.Sequences.Select(s => string.Join(',', s.Ids)).Distinct().Count() > 1);
        foreach (var s in result.Sequences)
        {
            // EOS only at the end (no padding after it), and nothing past max_new_tokens.
            Assert.DoesNotContain(Eos, s.Ids.Take(s.Ids.Count - 1));
            Assert.True(s.Ids[^1] == Eos || s.Ids.Count == 8);
            Assert.All(s.Ids, t => Assert.Contains(t, new[] { 1, 2, Eos }));
        }
        // Finished rows leave the batch: batches shrink but never grow.
        Assert.All(model.DecodeBatchSizes, n => Assert.InRange(n, 1, 6));
        Assert.True(model.DecodeBatchSizes.Zip(model.DecodeBatchSizes.Skip(1)).All(p => p.Second <= p.First));
    }
}

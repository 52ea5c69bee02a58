using GptChat.Generation;

namespace GptChat.Core.Tests.Generation;

/// <summary>
/// Beam search on scripted distributions (vocab 8, EOS 7, prompt [0]). Unscripted tokens share the rest
/// of the mass evenly; expected scores are written as the sums of ln(p) the rules give.
/// </summary>
public class BeamSearchTests
{
    private const int Eos = 7;
    private static double Ln(double p) => Math.Log(p);

    private static GenerationOptions Beams(int numBeams, int maxNewTokens) => new()
    {
        NumBeams = numBeams, MaxNewTokens = maxNewTokens, EosTokenId = Eos, PadTokenId = Eos,
    };

    private static void AssertSequence(GeneratedSequence actual, int[] ids, double score)
    {
        Assert.Equal(ids, actual.Ids);
        Assert.NotNull(actual.Score);
        Assert.Equal(score, actual.Score!.Value, 5);
    }

    // Step 1: EOS is third (rank 2). Step 2 (the last, max_new_tokens 2) is poor for every beam.
    private static ScriptedModel EosAtRankTwo() => new ScriptedModel(8)
        .On([0], (1, 0.4), (2, 0.3), (Eos, 0.25))                   // rest: 0.01 each
        .On([0, 1], (3, 0.15))                                       // rest: 0.85 / 7 each
        .On([0, 2], (4, 0.15));

    [Fact]
    public void Eos_outside_the_top_num_beams_ranks_is_ignored()
    {
        // With 2 beams EOS at rank 2 is only a backup candidate: it never finishes, although its score
        // ln 0.25 = -1.386 would beat the final winner's (ln 0.4 + ln 0.15) / 2 = -1.407.
        var result = Generator.Generate(EosAtRankTwo(), [0], Beams(2, 2));
        AssertSequence(result.Sequences[0], [1, 3], (Ln(0.4) + Ln(0.15)) / 2);
        Assert.Equal(FinishReason.Length, result.FinishReason);
    }

    [Fact]
    public void Eos_inside_the_top_num_beams_ranks_finishes()
    {
        var result = Generator.Generate(EosAtRankTwo(), [0], Beams(3, 2) with { NumReturnSequences = 3 });
        AssertSequence(result.Sequences[0], [Eos], Ln(0.25));
        AssertSequence(result.Sequences[1], [1, 3], (Ln(0.4) + Ln(0.15)) / 2);
        // At max_length the top num_beams ranks finish: after [1,3] come [1,0] and [1,1] (equal scores, lower id first).
        AssertSequence(result.Sequences[2], [1, 0], (Ln(0.4) + Ln(0.85 / 7)) / 2);
        Assert.Equal(FinishReason.Eos, result.FinishReason);
    }

    // Step 1: EOS first (finished [7]); step 2: [1,7] finishes (rank 1) while [1,3] runs on; step 3:
    // [1,3,7] finishes best; [2,4,5] runs on; step 4 (max_new_tokens 4): [2,4,5,7].
    private static ScriptedModel EarlyStoppingScript() => new ScriptedModel(8)
        .On([0], (Eos, 0.4), (1, 0.35), (2, 0.2))                   // rest 0.01
        .On([0, 1], (3, 0.5), (Eos, 0.45))
        .On([0, 2], (4, 0.5), (Eos, 0.45))
        .On([0, 1, 3], (Eos, 0.9))
        .On([0, 2, 4], (5, 0.4))                                     // rest 0.6 / 7
        .On([0, 2, 4, 5], (Eos, 0.9));

    private static readonly double FinishedFirst = Ln(0.4);                                  // [7]
    private static readonly double FinishedSecond = (Ln(0.35) + Ln(0.45)) / 2;               // [1,7]
    private static readonly double FinishedThird = (Ln(0.35) + Ln(0.5) + Ln(0.9)) / 3;       // [1,3,7]
    private static readonly double FinishedFourth = (Ln(0.2) + Ln(0.5) + Ln(0.4) + Ln(0.9)) / 4; // [2,4,5,7]

    [Fact]
    public void Early_stopping_true_stops_once_num_beams_hypotheses_are_finished()
    {
        var model = EarlyStoppingScript();
        var result = Generator.Generate(model, [0], Beams(2, 4) with { EarlyStopping = EarlyStopping.True, NumReturnSequences = 2 });
        AssertSequence(result.Sequences[0], [Eos], FinishedFirst);
        AssertSequence(result.Sequences[1], [1, Eos], FinishedSecond);
        Assert.Equal([2], model.DecodeBatchSizes);  // two steps, one decode
        Assert.Equal(FinishReason.Eos, result.FinishReason);
    }

    [Fact]
    public void Early_stopping_false_goes_on_while_the_best_running_beam_could_still_win_at_its_current_length()
    {
        // After step 2 the running [1,3] scores (ln .35 + ln .5) / 2 = -0.872 > worst finished -0.924: go on.
        // After step 3 the best running [2,4,5] scores -3.219 / 3 = -1.073 < -0.916: stop.
        var model = EarlyStoppingScript();
        var result = Generator.Generate(model, [0], Beams(2, 4) with { EarlyStopping = EarlyStopping.False, NumReturnSequences = 2 });
        AssertSequence(result.Sequences[0], [1, 3, Eos], FinishedThird);
        AssertSequence(result.Sequences[1], [Eos], FinishedFirst);
        Assert.Equal([2, 2], model.DecodeBatchSizes);
    }

    [Fact]
    public void Early_stopping_never_judges_the_running_beam_at_max_length()
    {
        // After step 3, [2,4,5] at max length 4 could score -3.219 / 4 = -0.805 > -0.916: one more step.
        var model = EarlyStoppingScript();
        var result = Generator.Generate(model, [0], Beams(2, 4) with { EarlyStopping = EarlyStopping.Never, NumReturnSequences = 2 });
        AssertSequence(result.Sequences[0], [1, 3, Eos], FinishedThird);
        AssertSequence(result.Sequences[1], [2, 4, 5, Eos], FinishedFourth);
        Assert.Equal([2, 2, 2], model.DecodeBatchSizes);
    }

    [Fact]
    public void Length_penalty_changes_the_winner()
    {
        // Without length normalisation (0) the short [7] wins: ln .4 = -0.916 against the sum -1.848 of [1,3,7].
        var flat = Generator.Generate(EarlyStoppingScript(), [0], Beams(2, 4) with { LengthPenalty = 0 });
        AssertSequence(flat.Sequences[0], [Eos], FinishedFirst);
        var normalised = Generator.Generate(EarlyStoppingScript(), [0], Beams(2, 4) with { LengthPenalty = 1 });
        AssertSequence(normalised.Sequences[0], [1, 3, Eos], FinishedThird);
        // length_penalty 3 favours the longest: -3.324 / 4³ = -0.052 beats -1.848 / 3³ = -0.068.
        var longer = Generator.Generate(EarlyStoppingScript(), [0], Beams(2, 4) with { LengthPenalty = 3, NumReturnSequences = 2 });
        AssertSequence(longer.Sequences[0], [2, 4, 5, Eos], (Ln(0.2) + Ln(0.5) + Ln(0.4) + Ln(0.9)) / 64);
        AssertSequence(longer.Sequences[1], [1, 3, Eos], (Ln(0.35) + Ln(0.5) + Ln(0.9)) / 27);
    }

    [Fact]
    public void The_prompt_does_not_count_in_the_normalised_length()
    {
        var model = new ScriptedModel(8).On([5, 5, 5], (1, 0.6)).On([5, 5, 5, 1], (Eos, 0.7));
        var result = Generator.Generate(model, [5, 5, 5], Beams(2, 3) with { EarlyStopping = EarlyStopping.True });
        AssertSequence(result.Sequences[0], [1, Eos], (Ln(0.6) + Ln(0.7)) / 2);
    }

    [Fact]
    public void Processors_run_on_log_probabilities_per_beam()
    {
        // Repetition penalty 2.5 on the (negative) log-prob of the prompt's token 1: ln .6 × 2.5 = -1.277 falls
        // below ln .35 = -1.050, so 2 leads; the penalised log-prob is what enters the score.
        var model = new ScriptedModel(8).On([1], (1, 0.6), (2, 0.35)).On([1, 1], (Eos, 0.9)).On([1, 2], (Eos, 0.9));
        var result = Generator.Generate(model, [1], Beams(2, 3) with
        {
            RepetitionPenalty = 2.5, EarlyStopping = EarlyStopping.True, NumReturnSequences = 2,
        });
        AssertSequence(result.Sequences[0], [2, Eos], (Ln(0.35) + Ln(0.9)) / 2);
        AssertSequence(result.Sequences[1], [1, Eos], (2.5 * Ln(0.6) + Ln(0.9)) / 2);
    }

    [Fact]
    public void No_repeat_ngram_bans_per_beam_including_the_prompt()
    {
        // Prompt 3 1: after 3 the bigram (3,1) is banned for the beam that just produced 3, so [3,1] cannot happen.
        var model = new ScriptedModel(8)
            .On([3, 1], (3, 0.6), (2, 0.3))
            .On([3, 1, 3], (1, 0.8), (Eos, 0.1))
            .On([3, 1, 2], (Eos, 0.5));
        var result = Generator.Generate(model, [3, 1], Beams(2, 3) with
        {
            NoRepeatNgramSize = 2, EarlyStopping = EarlyStopping.True, NumReturnSequences = 2,
        });
        Assert.DoesNotContain(result.Sequences, s => s.Ids.Count >= 2 && s.Ids[0] == 3 && s.Ids[1] == 1);
        // Without 1, the beam [3] has EOS (0.1) as its best continuation... ranked against [2,7] (0.3 · 0.5).
        AssertSequence(result.Sequences[0], [2, Eos], (Ln(0.3) + Ln(0.5)) / 2);
        AssertSequence(result.Sequences[1], [3, Eos], (Ln(0.6) + Ln(0.1)) / 2);
    }

    [Fact]
    public void Returned_sequences_are_sorted_by_score_and_keep_their_own_length()
    {
        var result = Generator.Generate(EarlyStoppingScript(), [0], Beams(3, 4) with { NumReturnSequences = 3 });
        Assert.Equal(3, result.Sequences.Count);
        var scores = result.Sequences.Select(s => s.Score!.Value).ToArray();
        Assert.Equal(scores.OrderByDescending(s => s), scores);
        Assert.All(result.Sequences, s => Assert.Equal(Eos, s.Ids[^1]));
        Assert.NotEqual(result.Sequences[0].Ids.Count, result.Sequences[2].Ids.Count);
    }

    [Fact]
    public void Streaming_sends_the_prefix_every_beam_shares_and_the_rest_at_the_end()
    {
        // Step 2: running [1,3] and [1,4] share 1, nothing finished yet: 1 is streamed.
        // Step 3 (last): [1,3,7] wins; the rest (3) comes at the end, EOS excluded.
        var model = new ScriptedModel(8)
            .On([0], (1, 0.9))
            .On([0, 1], (3, 0.5), (4, 0.4))
            .On([0, 1, 3], (Eos, 0.9))
            .On([0, 1, 4], (5, 0.9));
        var chunks = new List<int[]>();
        var result = Generator.Generate(model, [0], Beams(2, 3), t => chunks.Add(t.ToArray()));
        AssertSequence(result.Sequences[0], [1, 3, Eos], (Ln(0.9) + Ln(0.5) + Ln(0.9)) / 3);
        Assert.Equal([[1], [3]], chunks);
    }

    [Fact]
    public void Streaming_holds_back_a_shared_running_prefix_while_a_finished_hypothesis_diverges()
    {
        // Step 1: [7] finishes (rank 1). Step 2: running [1,3] and [1,4] share 1, but the finished [7]
        // does not start with 1, and it wins in the end: streaming 1 would have been wrong.
        var model = new ScriptedModel(8)
            .On([0], (1, 0.5), (Eos, 0.4))
            .On([0, 1], (3, 0.46), (4, 0.44));
        var chunks = new List<int[]>();
        var result = Generator.Generate(model, [0], Beams(2, 3), t => chunks.Add(t.ToArray()));
        AssertSequence(result.Sequences[0], [Eos], Ln(0.4));
        Assert.Empty(chunks.SelectMany(c => c));
    }

    [Fact]
    public void Streamed_tokens_always_add_up_to_the_best_sequence()
    {
        foreach (var (script, options) in new[]
        {
            (EarlyStoppingScript(), Beams(2, 4)),
            (EarlyStoppingScript(), Beams(2, 4) with { EarlyStopping = EarlyStopping.Never }),
            (EarlyStoppingScript(), Beams(3, 4) with { LengthPenalty = 3 }),
            (EosAtRankTwo(), Beams(2, 2)),
        })
        {
            var streamed = new List<int>();
            var result = Generator.Generate(script, [0], options, t => streamed.AddRange(t.ToArray()));
            var best = result.Sequences[0].Ids;
            Assert.Equal(best[^1] == Eos ? best.Take(best.Count - 1) : best, streamed);
        }
    }

    [Fact]
    public void Cancellation_ranks_finished_and_running_hypotheses_and_reports_stop()
    {
        // Cancelled during the first decode, so generation stops after step 2: finished [7] (-0.916) and [1,7] (-0.924),
        // running [1,3] (-0.872) and [2,4] (-1.151): the running [1,3] is best so far.
        using var cts = new CancellationTokenSource();
        var model = EarlyStoppingScript();
        model.BeforeDecode = n => { if (n == 0) cts.Cancel(); };
        var streamed = new List<int>();
        var result = Generator.Generate(model, [0], Beams(2, 4) with { NumReturnSequences = 2 },
            t => streamed.AddRange(t.ToArray()), cts.Token);
        Assert.Equal(FinishReason.Stop, result.FinishReason);
        AssertSequence(result.Sequences[0], [1, 3], (Ln(0.35) + Ln(0.5)) / 2);
        AssertSequence(result.Sequences[1], [Eos], FinishedFirst);
        Assert.Equal([1, 3], streamed);
    }

    [Fact]
    public void Beams_continue_the_right_cache_rows()
    {
        // The script is keyed on whole rows, so a wrong parent would read another beam's distribution;
        // also the first decode must read the prefill's single row.
        var model = EarlyStoppingScript();
        Generator.Generate(model, [0], Beams(2, 4) with { EarlyStopping = EarlyStopping.Never });
        Assert.Equal(1, model.PrefillCalls);
        Assert.All(model.DecodeBatchSizes, n => Assert.Equal(2, n));
    }
}

using System.Diagnostics;
using GptChat.Generation;

namespace GptChat.Benchmarking;

/// <summary>Opens a model for one rep; returns the model and, when known, how its session was made (cache hit, built, bypassed).</summary>
internal delegate (ICausalLM Model, string? CacheOutcome) BenchModelOpener();

/// <summary>Runs the standard workloads: per rep, load the model, one cold generation, one measured generation.</summary>
internal static class BenchRunner
{
    /// <summary>Decode calls recorded per generation; far more than the 39 a 40-token run makes.</summary>
    private const int MaxRecordedDecodes = 4096;

    public static BenchRep RunRep(BenchModelOpener open, BenchWorkload workload, CancellationToken cancellationToken = default)
    {
        long loadStart = Stopwatch.GetTimestamp();
        var (inner, cacheOutcome) = open();
        double loadMs = Stopwatch.GetElapsedTime(loadStart).TotalMilliseconds;
        using var model = new TimingCausalLM(inner, MaxRecordedDecodes);

        var cold = Measure(model, workload, cancellationToken);
        var warm = Measure(model, workload, cancellationToken);
        return warm with { LoadMs = loadMs, CacheOutcome = cacheOutcome, ColdPrefillMs = cold.PrefillMs };
    }

    private static BenchRep Measure(TimingCausalLM model, BenchWorkload workload, CancellationToken cancellationToken)
    {
        model.Reset();
        long start = Stopwatch.GetTimestamp();
        var result = Generator.Generate(model, BenchWorkload.PromptIds, workload.Options, null, cancellationToken);
        long end = Stopwatch.GetTimestamp();

        var starts = model.DecodeStarts;
        var ends = model.DecodeEnds;
        // Token 1 is chosen from the prefill's logits; the first decode call starts right after that choice.
        double prefillMs = Ms(start, starts.Length > 0 ? starts[0] : end);
        var steps = new double[starts.Length];
        var modelSteps = new double[starts.Length];
        for (int i = 0; i < starts.Length; i++)
        {
            steps[i] = Ms(starts[i], i + 1 < starts.Length ? starts[i + 1] : end);
            modelSteps[i] = Ms(starts[i], ends[i]);
        }
        return new BenchRep(0, null, 0, prefillMs, steps, modelSteps, Ms(start, end), result.Sequences[0].Ids);
    }

    private static double Ms(long from, long to) => (to - from) * 1000.0 / Stopwatch.Frequency;
}

namespace GptChat.Benchmarking;

/// <summary>
/// One rep of one workload: a model load, a cold generation and the measured one. Times in milliseconds.
/// Steps follow the peers' definition: step i runs from the start of decode call i to the start of call
/// i + 1 (the last one to the end of generation), so it holds the model run and all selection and
/// bookkeeping; <see cref="ModelStepsMs"/> holds the model runs alone.
/// </summary>
internal sealed record BenchRep(
    double LoadMs,
    string? CacheOutcome,
    double ColdPrefillMs,
    double PrefillMs,
    IReadOnlyList<double> StepsMs,
    IReadOnlyList<double> ModelStepsMs,
    double TotalMs,
    IReadOnlyList<int> GeneratedIds)
{
    public int NewTokens => GeneratedIds.Count;
    public double TokensPerSecond => NewTokens / (TotalMs / 1000.0);
}

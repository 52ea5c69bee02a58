using System.Globalization;
using System.Text;
using System.Text.Json;

namespace GptChat.Benchmarking;

/// <summary>
/// One workload's figures over its reps, aggregated as the peers' aggregate.py does: medians over reps;
/// <c>step_ms_min</c> is the lowest per-rep median step.
/// </summary>
internal sealed record BenchSummary(
    string Workload,
    int Beams,
    int Threads,
    IReadOnlyList<BenchRep> Reps,
    double? PeakRssMb)
{
    /// <summary>Loads that found a ready session (warm cache or no cache); a load that built the cache is reported apart.</summary>
    public double? LoadMs => Median(Reps.Where(r => r.CacheOutcome != "built").Select(r => r.LoadMs));
    /// <summary>The load that built the optimised-model cache, when a rep did.</summary>
    public double? LoadMsFirstRun => Reps.FirstOrDefault(r => r.CacheOutcome == "built")?.LoadMs;
    public double? PrefillMs => Median(Reps.Select(r => r.PrefillMs));
    public double? ColdPrefillMs => Median(Reps.Select(r => r.ColdPrefillMs));
    public double? StepMsMedian => Median(Reps.Select(r => Median(r.StepsMs)));
    public double? StepMsMin => Min(Reps.Select(r => Median(r.StepsMs)));
    public double? StepMsBestSingle => Min(Reps.SelectMany(r => r.StepsMs));
    public double? ModelStepMsMedian => Median(Reps.Select(r => Median(r.ModelStepsMs)));
    public double? ModelStepMsMin => Min(Reps.Select(r => Median(r.ModelStepsMs)));
    public double? TokensPerSecond => Median(Reps.Select(r => r.TokensPerSecond));
    public IReadOnlyList<string> OutIdsMd5 => Reps.Select(r => TokenIdsHash.Md5Prefix(r.GeneratedIds)).Distinct().Order(StringComparer.Ordinal).ToList();

    /// <summary>One JSON object on one line: the required fields first (peer, workload, load_ms, …), then extras.</summary>
    public string ToJsonLine()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("peer", "gptchat");
            json.WriteString("workload", Workload);
            Number(json, "load_ms", LoadMs);
            Number(json, "prefill_ms", PrefillMs);
            Number(json, "step_ms_median", StepMsMedian);
            Number(json, "step_ms_min", StepMsMin);
            Number(json, "tokens_per_s", TokensPerSecond);
            Number(json, "peak_rss_mb", PeakRssMb);
            json.WriteNumber("threads", Threads);
            json.WriteString("out_ids_md5", string.Join(",", OutIdsMd5));
            Number(json, "model_step_ms_median", ModelStepMsMedian);
            Number(json, "model_step_ms_min", ModelStepMsMin);
            Number(json, "step_ms_best_single", StepMsBestSingle);
            Number(json, "load_ms_first_run", LoadMsFirstRun);
            json.WriteString("cache", Reps.Count > 0 ? Reps[0].CacheOutcome ?? "" : "");
            Number(json, "cold_prefill_ms", ColdPrefillMs);
            json.WriteNumber("reps", Reps.Count);
            json.WriteNumber("decode_steps", Reps.Count > 0 ? Reps[0].StepsMs.Count : 0);
            json.WriteNumber("new_tokens", Reps.Count > 0 ? Reps[0].NewTokens : 0);
            json.WriteNumber("beams", Beams);
            json.WriteStartArray("out_ids");
            if (Reps.Count > 0)
                foreach (int id in Reps[^1].GeneratedIds) json.WriteNumberValue(id);
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>A few lines for people.</summary>
    public string ToText()
    {
        var c = CultureInfo.InvariantCulture;
        string F(double? v) => v is double d ? d.ToString("F2", c) : "n/a";
        var text = new StringBuilder();
        text.AppendLine(c, $"{Workload} ({Reps.Count} rep{(Reps.Count == 1 ? "" : "s")}, {Threads} threads, out_ids_md5 {string.Join(",", OutIdsMd5)})");
        text.AppendLine(c, $"  load          {F(LoadMs)} ms{(LoadMsFirstRun is double f ? $"  (first run, building the cache: {F(f)} ms)" : "")}");
        text.AppendLine(c, $"  prefill       {F(PrefillMs)} ms  (cold: {F(ColdPrefillMs)} ms)");
        text.AppendLine(c, $"  decode step   median {F(StepMsMedian)} ms, min {F(StepMsMin)} ms  (model run alone: {F(ModelStepMsMedian)} ms)");
        text.AppendLine(c, $"  tokens/s      {F(TokensPerSecond)}");
        text.Append(c, $"  peak RSS      {F(PeakRssMb)} MB");
        return text.ToString();
    }

    private static void Number(Utf8JsonWriter json, string name, double? value)
    {
        if (value is double v) json.WriteNumber(name, Math.Round(v, 2));
        else json.WriteNull(name);
    }

    private static double? Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0) return null;
        int mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    private static double? Min(IEnumerable<double?> values)
    {
        double? min = null;
        foreach (var v in values)
            if (v is double d && (min is null || d < min)) min = d;
        return min;
    }

    private static double? Min(IEnumerable<double> values) => Min(values.Select(v => (double?)v));

    private static double? Median(IEnumerable<double?> values) => Median(values.Where(v => v.HasValue).Select(v => v!.Value));
}

using System.Globalization;
using GptChat.Chat;
using GptChat.Generation;
using GptChat.Modeling;

namespace GptChat.Cli.Chat;

/// <summary>
/// The generation options, named after Hugging Face's arguments in kebab case. One table serves both the
/// command line and <c>/set</c>, so values are checked with the same messages in both places.
/// </summary>
internal static class GenerationFlags
{
    /// <summary>One settable option; <see cref="Apply"/> throws a usage <see cref="GptChatException"/> for a bad value.</summary>
    internal sealed record Flag(string Name, string HelpName, string Description, Action<ReplySettings, string> Apply)
    {
        /// <summary>A flag that may be given without a value (then "true"), like <c>--do-sample</c>.</summary>
        public bool IsSwitch { get; init; }
    }

    public static IReadOnlyList<Flag> All { get; } =
    [
        new("max-length", "N", "Total length, prompt (your line) included [50]",
            (s, v) => { s.Generation = s.Generation with { MaxLength = Int("max-length", v, 1) }; s.MaxLengthExplicit = true; }),
        new("max-new-tokens", "N", "New tokens at most; wins over --max-length",
            (s, v) => s.Generation = s.Generation with { MaxNewTokens = Int("max-new-tokens", v, 1) }),
        new("min-length", "N", "Total length (prompt included) before which EOS is banned [0]",
            (s, v) => s.Generation = s.Generation with { MinLength = Int("min-length", v, 0) }),
        new("min-new-tokens", "N", "New tokens before which EOS is banned",
            (s, v) => s.Generation = s.Generation with { MinNewTokens = Int("min-new-tokens", v, 0) }),
        new("num-beams", "N", "Beam width; 1 = greedy or sampling [5]",
            (s, v) => s.Generation = s.Generation with { NumBeams = Int("num-beams", v, 1) }),
        new("num-return-sequences", "N", "Sequences returned, best first: numbered lines, or all in --json (pipe mode prints the best) [1]",
            (s, v) => s.Generation = s.Generation with { NumReturnSequences = Int("num-return-sequences", v, 1) }),
        new("early-stopping", "true|false|never", "When beam search ends [true]",
            (s, v) => s.Generation = s.Generation with { EarlyStopping = ParseEarlyStopping(v) }),
        new("length-penalty", "X", "Beam score = log-prob sum / length^X [1.0]",
            (s, v) => s.Generation = s.Generation with { LengthPenalty = Double("length-penalty", v, _ => true, "a number") }),
        new("no-repeat-ngram-size", "N", "Never repeat an n-gram of this size; 0 = off [2]",
            (s, v) => s.Generation = s.Generation with { NoRepeatNgramSize = Int("no-repeat-ngram-size", v, 0) }),
        new("repetition-penalty", "X", "Penalty for tokens already present; 1.0 = off [1.0]",
            (s, v) => s.Generation = s.Generation with { RepetitionPenalty = Double("repetition-penalty", v, x => x > 0, "a number > 0") }),
        new("do-sample", "true|false", "Sample instead of searching [false]",
            (s, v) => s.Generation = s.Generation with { DoSample = Bool("do-sample", v) }) { IsSwitch = true },
        new("temperature", "X", "Sampling temperature [1.0]",
            (s, v) => s.Generation = s.Generation with { Temperature = Double("temperature", v, x => x > 0, "a number > 0") }),
        new("top-k", "N", "Sample among the k likeliest tokens; 0 = all [50]",
            (s, v) => s.Generation = s.Generation with { TopK = Int("top-k", v, 0) }),
        new("top-p", "X", "Nucleus sampling mass, in (0, 1] [1.0]",
            (s, v) => s.Generation = s.Generation with { TopP = Double("top-p", v, x => x > 0 && x <= 1, "a number in (0, 1]") }),
        new("seed", "N", "Random seed for sampling (reproducible replies)",
            (s, v) => s.Generation = s.Generation with { Seed = Seed(v) }),
    ];

    public static Flag? Find(string name) =>
        All.FirstOrDefault(f => string.Equals(f.Name, name.TrimStart('-').Replace('_', '-'), StringComparison.OrdinalIgnoreCase));

    public static string Spell(EarlyStopping value) => value switch
    {
        EarlyStopping.True => "true",
        EarlyStopping.False => "false",
        _ => "never",
    };

    public static string Spell(ChatFormat format) => format switch
    {
        ChatFormat.Transcript => "transcript",
        ChatFormat.DialoGpt => "dialogpt",
        _ => "plain",
    };

    public static ChatFormat ParseFormat(string value) => value.Trim().ToLowerInvariant() switch
    {
        "plain" => ChatFormat.Plain,
        "transcript" => ChatFormat.Transcript,
        "dialogpt" => ChatFormat.DialoGpt,
        _ => throw Usage($"--format must be plain, transcript or dialogpt (got '{value}')"),
    };

    private static EarlyStopping ParseEarlyStopping(string value) => value.Trim().ToLowerInvariant() switch
    {
        "true" => EarlyStopping.True,
        "false" => EarlyStopping.False,
        "never" => EarlyStopping.Never,
        _ => throw Usage($"--early-stopping must be true, false or never (got '{value}')"),
    };

    internal static int Int(string name, string value, int min)
    {
        if (!int.TryParse(value.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n))
            throw Usage(System.Numerics.BigInteger.TryParse(value.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out _)
                ? $"--{name} must be at most {int.MaxValue} (got {value.Trim()})"
                : $"--{name} must be a whole number (got '{value}')");
        if (n < min)
            throw Usage($"--{name} must be at least {min} (got {n})");
        return n;
    }

    /// <summary><c>--threads</c> (chat and bench) at most <see cref="OnnxCausalLM.MaxIntraOpThreads"/>; each command checks the lower bound as it parses.</summary>
    internal static int ThreadsWithinLimit(int n) =>
        n > OnnxCausalLM.MaxIntraOpThreads
            ? throw Usage($"--threads must be at most {OnnxCausalLM.MaxIntraOpThreads} (4 × the {Environment.ProcessorCount} logical cores here; got {n})")
            : n;

    private static double Double(string name, string value, Func<double, bool> valid, string what)
    {
        if (!double.TryParse(value.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var x) || !double.IsFinite(x))
            throw Usage($"--{name} must be {what} (got '{value}')");
        if (!valid(x))
            throw Usage($"--{name} must be {what} (got {x.ToString(CultureInfo.InvariantCulture)})");
        return x;
    }

    internal static bool Bool(string name, string value) => value.Trim().ToLowerInvariant() switch
    {
        "true" or "yes" or "on" or "1" => true,
        "false" or "no" or "off" or "0" => false,
        _ => throw Usage($"--{name} must be true or false (got '{value}')"),
    };

    private static ulong Seed(string value) =>
        ulong.TryParse(value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            ? n
            : throw Usage($"--seed must be a whole number ≥ 0 (got '{value}')");

    private static GptChatException Usage(string message) => new(message, exitCode: 2);

    /// <summary>Checks the combination of options (e.g. num_return_sequences ≤ num_beams) before any model is loaded.</summary>
    public static void Validate(ReplySettings settings)
    {
        try
        {
            GenerationOptionsValidator.Validate(settings.Generation);
        }
        catch (GenerationOptionException e)
        {
            throw UsageError(e);
        }
    }

    /// <summary>The generator's one-line message, led by the flag's name as the user typed it.</summary>
    public static GptChatException UsageError(GenerationOptionException e) =>
        Usage($"--{e.Option.Replace('_', '-')}: {e.Message}");
}

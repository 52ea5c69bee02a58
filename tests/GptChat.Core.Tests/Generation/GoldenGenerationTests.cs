using System.Text.Json;
using GptChat.Core.Tests.Modeling;
using GptChat.Generation;

namespace GptChat.Core.Tests.Generation;

/// <summary>
/// Every case of Fixtures/generation-public.jsonl, produced by Hugging Face <c>generate()</c> on models/tiny-gpt2,
/// reproduced token for token through the ONNX runner in each layout (merged, single, split pair, no-past).
/// A failure in one layout only points at the runner; a failure in all of them points at the generator.
/// </summary>
public class GoldenGenerationTests(TinyModelLayouts layouts) : IClassFixture<TinyModelLayouts>
{
    /// <summary>Beam scores are length-normalised sums of log-probabilities; the runner's logits match PyTorch's within 1e-4.</summary>
    private const double ScoreTolerance = 1e-3;

    private static readonly Lazy<IReadOnlyDictionary<string, GoldenCase>> Cases = new(LoadCases);

    public static TheoryData<string, string> CasesByLayout()
    {
        var data = new TheoryData<string, string>();
        foreach (var layout in TinyModelLayouts.LayoutNames)
            foreach (var id in Cases.Value.Keys)
                data.Add(id, layout);
        return data;
    }

    [Theory]
    [MemberData(nameof(CasesByLayout))]
    public void Matches_Hugging_Face_generate(string caseId, string layout)
    {
        var golden = Cases.Value[caseId];
        var result = Generator.Generate(layouts[layout], golden.PromptIds, golden.Options);

        Assert.Equal(golden.PromptIds, result.PromptIds);
        Assert.Equal(golden.Sequences.Count, result.Sequences.Count);
        for (var i = 0; i < golden.Sequences.Count; i++)
        {
            var (ids, score) = golden.Sequences[i];
            Assert.True(ids.SequenceEqual(result.Sequences[i].Ids),
                $"{caseId} ({golden.Setting}) sequence {i}: expected [{string.Join(", ", ids)}], got [{string.Join(", ", result.Sequences[i].Ids)}]");
            if (score is double expected)
            {
                var actual = result.Sequences[i].Score;
                Assert.True(actual is double s && Math.Abs(s - expected) <= ScoreTolerance,
                    $"{caseId} sequence {i}: score {actual} differs from Hugging Face's {expected}");
            }
        }
    }

    [Fact]
    public void Fixture_covers_every_setting()
    {
        var settings = Cases.Value.Values.Select(c => c.Setting).ToHashSet();
        Assert.True(Cases.Value.Count >= 100, $"only {Cases.Value.Count} cases read");
        Assert.Contains("greedy", settings);
        Assert.Contains("beam_nret3", settings);
        Assert.Contains("beam_never", settings);
    }

    private sealed record GoldenCase(
        string Setting, int[] PromptIds, GenerationOptions Options, IReadOnlyList<(int[] Ids, double? Score)> Sequences);

    private static IReadOnlyDictionary<string, GoldenCase> LoadCases()
    {
        var cases = new Dictionary<string, GoldenCase>();
        foreach (var line in File.ReadLines(TestPaths.Fixture("generation-public.jsonl")))
        {
            if (string.IsNullOrWhiteSpace(line))
                continue;
            using var json = JsonDocument.Parse(line);
            var root = json.RootElement;
            var id = root.GetProperty("id").GetString()!;
            var sequences = root.GetProperty("sequences").EnumerateArray()
                .Select(s => (
                    s.GetProperty("ids").EnumerateArray().Select(t => t.GetInt32()).ToArray(),
                    s.TryGetProperty("score", out var score) && score.ValueKind == JsonValueKind.Number ? score.GetDouble() : (double?)null))
                .ToList();
            cases.Add(id, new GoldenCase(
                root.GetProperty("setting").GetString()!,
                root.GetProperty("prompt_ids").EnumerateArray().Select(t => t.GetInt32()).ToArray(),
                HuggingFaceOptions(id, root.GetProperty("options")),
                sequences));
        }
        return cases;
    }

    /// <summary>HF <c>generate()</c> keyword arguments → options; absent ones keep HF's defaults (the record's).</summary>
    private static GenerationOptions HuggingFaceOptions(string caseId, JsonElement options)
    {
        var result = new GenerationOptions();
        foreach (var option in options.EnumerateObject())
        {
            var v = option.Value;
            result = option.Name switch
            {
                "max_length" => result with { MaxLength = v.GetInt32() },
                "max_new_tokens" => result with { MaxNewTokens = v.GetInt32() },
                "min_length" => result with { MinLength = v.GetInt32() },
                "min_new_tokens" => result with { MinNewTokens = v.GetInt32() },
                "num_beams" => result with { NumBeams = v.GetInt32() },
                "num_return_sequences" => result with { NumReturnSequences = v.GetInt32() },
                "early_stopping" => result with
                {
                    EarlyStopping = v.ValueKind switch
                    {
                        JsonValueKind.True => EarlyStopping.True,
                        JsonValueKind.False => EarlyStopping.False,
                        _ when v.GetString() == "never" => EarlyStopping.Never,
                        _ => throw new InvalidDataException($"{caseId}: early_stopping {v.GetRawText()}"),
                    },
                },
                "length_penalty" => result with { LengthPenalty = v.GetDouble() },
                "no_repeat_ngram_size" => result with { NoRepeatNgramSize = v.GetInt32() },
                "repetition_penalty" => result with { RepetitionPenalty = v.GetDouble() },
                "do_sample" => result with { DoSample = v.GetBoolean() },
                "temperature" => result with { Temperature = v.GetDouble() },
                "top_k" => result with { TopK = v.GetInt32() },
                "top_p" => result with { TopP = v.GetDouble() },
                "eos_token_id" => result with { EosTokenId = v.GetInt32() },
                "pad_token_id" => result with { PadTokenId = v.GetInt32() },
                _ => throw new InvalidDataException($"{caseId}: option {option.Name} is not mapped; extend this test"),
            };
        }
        return result;
    }
}

using GptChat.Modeling;

namespace GptChat.Core.Tests.Modeling;

/// <summary>
/// A prompt and decode steps that broadcast, permute, duplicate, keep (identity), drop and add rows; every row's
/// logits are checked against a from-scratch run of that row's whole sequence, so the cache and its reordering
/// are checked against something that has neither.
/// </summary>
internal static class DecodeScript
{
    public const int Vocab = 50257;
    public static readonly int[] Prompt = [464, 3797, 3332, 319, 262, 2603, 13];

    private static readonly (int[] Tokens, int[] Parents)[] Steps =
    [
        ([198, 464, 3797], [0, 0, 0]),
        ([11, 12, 13], [2, 0, 1]),
        ([50256, 262, 262], [1, 1, 0]),
        ([5, 6, 7], [0, 1, 2]),
        ([8, 9], [2, 0]),
        ([10, 11, 12, 13], [1, 1, 0, 0]),
        ([318, 257, 582, 13], [3, 2, 1, 0]),
    ];

    public static void AssertMatchesRecompute(OnnxCausalLM model, TinyModelLayouts layouts, float tolerance, string label)
    {
        var rows = new List<List<int>> { new(Prompt) };
        var prefill = model.Prefill(Prompt).ToArray();
        Assert.Equal(Vocab, prefill.Length);
        AssertClose(layouts.ExpectedLogits(Prompt), prefill, tolerance, $"{label} prefill");

        for (var step = 0; step < Steps.Length; step++)
        {
            var (tokens, parents) = Steps[step];
            var logits = model.Decode(tokens, parents).ToArray();
            Assert.Equal(tokens.Length * Vocab, logits.Length);

            rows = parents.Select((p, r) => new List<int>(rows[p]) { tokens[r] }).ToList();
            for (var r = 0; r < rows.Count; r++)
                AssertClose(layouts.ExpectedLogits(rows[r]), logits.AsSpan(r * Vocab, Vocab).ToArray(), tolerance, $"{label} step {step} row {r}");
        }
    }

    public static void AssertClose(float[] expected, float[] actual, float tolerance, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        var difference = MaxDifference(expected, actual);
        Assert.True(difference <= tolerance, $"{what}: logits differ by {difference}");
    }

    public static float MaxDifference(float[] a, float[] b)
    {
        var max = 0f;
        for (var i = 0; i < a.Length; i++)
            max = Math.Max(max, Math.Abs(a[i] - b[i]));
        return max;
    }
}

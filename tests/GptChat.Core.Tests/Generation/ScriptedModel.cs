using GptChat.Generation;

namespace GptChat.Core.Tests.Generation;

/// <summary>
/// A fake <see cref="ICausalLM"/> whose next-token distribution is scripted per whole row (prompt +
/// generated tokens). Scripts give probabilities for a few tokens; the remaining mass is shared evenly by
/// the other tokens; logits are their natural logs, so log_softmax gives back ln(p) and expected beam
/// scores can be written by hand. Rows without a script get the default distribution (uniform unless set).
/// It follows Prefill/Decode parents like a KV cache would, so a generator that mixes up rows gets the
/// wrong distributions.
/// </summary>
internal sealed class ScriptedModel(int vocabSize, int contextLength = 64) : ICausalLM
{
    private readonly Dictionary<string, float[]> _scripts = [];
    private float[]? _default;
    private List<int[]> _rows = [];
    private float[] _logits = [];

    public int VocabSize => vocabSize;
    public int ContextLength => contextLength;
    public long CacheBytesPerToken { get; init; }
    public int PrefillCalls { get; private set; }
    public List<int> DecodeBatchSizes { get; } = [];

    /// <summary>Runs before each Decode (e.g. to cancel a token mid-generation).</summary>
    public Action<int>? BeforeDecode { get; set; }

    /// <summary>Scripts the distribution after <paramref name="row"/> (prompt included).</summary>
    public ScriptedModel On(int[] row, params (int Token, double P)[] probs)
    {
        _scripts[Key(row)] = Logits(probs);
        return this;
    }

    public ScriptedModel Otherwise(params (int Token, double P)[] probs)
    {
        _default = Logits(probs);
        return this;
    }

    public ReadOnlySpan<float> Prefill(ReadOnlySpan<int> promptIds, CancellationToken cancellationToken = default)
    {
        PrefillCalls++;
        _rows = [promptIds.ToArray()];
        return Compute();
    }

    public ReadOnlySpan<float> Decode(ReadOnlySpan<int> tokens, ReadOnlySpan<int> parents, CancellationToken cancellationToken = default)
    {
        Assert.Equal(tokens.Length, parents.Length);
        BeforeDecode?.Invoke(DecodeBatchSizes.Count);
        DecodeBatchSizes.Add(tokens.Length);
        var next = new List<int[]>();
        for (var r = 0; r < tokens.Length; r++)
        {
            Assert.InRange(parents[r], 0, _rows.Count - 1);
            Assert.InRange(tokens[r], 0, vocabSize - 1);
            next.Add([.. _rows[parents[r]], tokens[r]]);
            Assert.True(next[r].Length <= contextLength, "a row grew past the context length");
        }
        _rows = next;
        return Compute();
    }

    public void Dispose() { }

    private ReadOnlySpan<float> Compute()
    {
        _logits = new float[_rows.Count * vocabSize];
        for (var r = 0; r < _rows.Count; r++)
        {
            var logits = _scripts.GetValueOrDefault(Key(_rows[r])) ?? _default ?? Logits([]);
            logits.CopyTo(_logits, r * vocabSize);
        }
        return _logits;
    }

    private float[] Logits((int Token, double P)[] probs)
    {
        var p = new double[vocabSize];
        var given = 0.0;
        foreach (var (token, prob) in probs)
        {
            p[token] = prob;
            given += prob;
        }
        var others = vocabSize - probs.Length;
        for (var t = 0; t < vocabSize; t++)
            if (!probs.Any(x => x.Token == t))
                p[t] = (1 - given) / others;
        return Array.ConvertAll(p, x => (float)Math.Log(x));
    }

    private static string Key(int[] row) => string.Join(',', row);
}

using System.Diagnostics;
using GptChat.Generation;

namespace GptChat.Benchmarking;

/// <summary>
/// Wraps a model and records when each <see cref="Decode"/> call starts and ends, so the bench can tell a
/// whole decode step (model run + the generator's selection and bookkeeping) from the raw model run
/// without any hook in the generator. Timestamps go into arrays sized up front: recording allocates nothing.
/// </summary>
internal sealed class TimingCausalLM(ICausalLM inner, int maxDecodeCalls) : ICausalLM
{
    private readonly long[] _decodeStarts = new long[maxDecodeCalls];
    private readonly long[] _decodeEnds = new long[maxDecodeCalls];

    public int VocabSize => inner.VocabSize;
    public int ContextLength => inner.ContextLength;
    public long CacheBytesPerToken => inner.CacheBytesPerToken;

    /// <summary>Decode calls since the last <see cref="Reset"/>.</summary>
    public int DecodeCalls { get; private set; }

    public ReadOnlySpan<long> DecodeStarts => _decodeStarts.AsSpan(0, Math.Min(DecodeCalls, _decodeStarts.Length));
    public ReadOnlySpan<long> DecodeEnds => _decodeEnds.AsSpan(0, Math.Min(DecodeCalls, _decodeEnds.Length));

    public void Reset() => DecodeCalls = 0;

    // The bench times the prefill from the outside (start of generation to the first decode call).
    public ReadOnlySpan<float> Prefill(ReadOnlySpan<int> promptIds, CancellationToken cancellationToken = default) =>
        inner.Prefill(promptIds, cancellationToken);

    public ReadOnlySpan<float> Decode(ReadOnlySpan<int> tokens, ReadOnlySpan<int> parents, CancellationToken cancellationToken = default)
    {
        long start = Stopwatch.GetTimestamp();
        var logits = inner.Decode(tokens, parents, cancellationToken);
        long end = Stopwatch.GetTimestamp();
        if (DecodeCalls < _decodeStarts.Length)
        {
            _decodeStarts[DecodeCalls] = start;
            _decodeEnds[DecodeCalls] = end;
        }
        DecodeCalls++;
        return logits;
    }

    public void Dispose() => inner.Dispose();
}

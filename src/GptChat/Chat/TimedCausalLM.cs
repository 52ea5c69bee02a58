using System.Diagnostics;
using GptChat.Generation;

namespace GptChat.Cli.Chat;

/// <summary>Measures the prompt pass of a model for <c>--stats</c> and the JSON timings, passing everything through.</summary>
internal sealed class TimedCausalLM(ICausalLM inner) : ICausalLM
{
    /// <summary>Time spent in the last <see cref="Prefill"/>.</summary>
    public TimeSpan PrefillTime { get; private set; }

    public int VocabSize => inner.VocabSize;
    public int ContextLength => inner.ContextLength;
    public long CacheBytesPerToken => inner.CacheBytesPerToken;

    public ReadOnlySpan<float> Prefill(ReadOnlySpan<int> promptIds, CancellationToken cancellationToken = default)
    {
        var start = Stopwatch.GetTimestamp();
        var logits = inner.Prefill(promptIds, cancellationToken);
        PrefillTime = Stopwatch.GetElapsedTime(start);
        return logits;
    }

    public ReadOnlySpan<float> Decode(ReadOnlySpan<int> tokens, ReadOnlySpan<int> parents, CancellationToken cancellationToken = default)
        => inner.Decode(tokens, parents, cancellationToken);

    public void Dispose() => inner.Dispose();
}

using GptChat.Generation;

namespace GptChat.Cli.Chat;

/// <summary>
/// Waits a fixed time before each decoding step (hidden <c>--step-delay-ms</c>): lets the terminal tests press
/// Ctrl+C in the middle of a reply on any machine, however fast the tiny model runs there.
/// </summary>
internal sealed class ThrottledCausalLM(ICausalLM inner, TimeSpan delay) : ICausalLM
{
    public int VocabSize => inner.VocabSize;
    public int ContextLength => inner.ContextLength;
    public long CacheBytesPerToken => inner.CacheBytesPerToken;

    public ReadOnlySpan<float> Prefill(ReadOnlySpan<int> promptIds, CancellationToken cancellationToken = default) =>
        inner.Prefill(promptIds, cancellationToken);

    public ReadOnlySpan<float> Decode(ReadOnlySpan<int> tokens, ReadOnlySpan<int> parents, CancellationToken cancellationToken = default)
    {
        cancellationToken.WaitHandle.WaitOne(delay);
        return inner.Decode(tokens, parents, cancellationToken);
    }

    public void Dispose() => inner.Dispose();
}

namespace GptChat.Generation;

/// <summary>
/// A causal language model driven one step at a time with a KV cache, as the generators need it.
/// Rows are batch rows (beams or return sequences). Implemented by the ONNX runner and by scripted
/// fakes in tests.
/// </summary>
internal interface ICausalLM : IDisposable
{
    int VocabSize { get; }

    /// <summary>Most tokens (prompt + generated) one row may hold (<c>n_positions</c>).</summary>
    int ContextLength { get; }

    /// <summary>
    /// Memory one row's KV cache takes per position, in bytes (all layers, keys and values, every buffer the
    /// model keeps); 0 when there is no cache. Lets generation refuse a batch that cannot fit before it starts.
    /// </summary>
    long CacheBytesPerToken { get; }

    /// <summary>
    /// Starts a new sequence: runs the whole prompt once at batch size 1 and returns the logits
    /// (float32, length <see cref="VocabSize"/>) of its last position. The span is valid until the next call.
    /// </summary>
    ReadOnlySpan<float> Prefill(ReadOnlySpan<int> promptIds, CancellationToken cancellationToken = default);

    /// <summary>
    /// Appends one token to each of <c>tokens.Length</c> rows. Row r continues the cached sequence of
    /// row <c>parents[r]</c> of the previous call (after <see cref="Prefill"/> there is one row, so every
    /// parent is 0: that broadcasts the prompt's cache to all beams). Returns logits
    /// [rows × VocabSize], row-major, valid until the next call.
    /// </summary>
    ReadOnlySpan<float> Decode(ReadOnlySpan<int> tokens, ReadOnlySpan<int> parents, CancellationToken cancellationToken = default);
}

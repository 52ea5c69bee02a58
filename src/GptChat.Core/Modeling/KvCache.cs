using System.Runtime.CompilerServices;
using Microsoft.ML.OnnxRuntime;

namespace GptChat.Modeling;

/// <summary>
/// The keys and values of every layer for all rows, held in native buffers between steps.
/// </summary>
/// <remarks>
/// Two buffer sets take turns: a run reads the past from the current set and ONNX Runtime writes the presents
/// (past + new positions, as the Hub graphs return them) straight into the other set, which then becomes current.
/// So no step allocates cache memory once the buffers have grown. Reordering rows for beam search is one gather
/// per layer tensor from the current set into the other one, skipped when every row keeps its own parent.
/// </remarks>
internal sealed class KvCache : IDisposable
{
    private readonly IReadOnlyList<CacheTensor> _tensors;
    private readonly int _contextLength;
    private NativeBuffer[] _current;
    private NativeBuffer[] _next;

    public KvCache(IReadOnlyList<CacheTensor> tensors, int contextLength)
    {
        _tensors = tensors;
        _contextLength = contextLength;
        _current = tensors.Select(_ => new NativeBuffer()).ToArray();
        _next = tensors.Select(_ => new NativeBuffer()).ToArray();
    }

    public IReadOnlyList<CacheTensor> Tensors => _tensors;

    /// <summary>Bytes one row takes per cached position, in both buffer sets.</summary>
    public long BytesPerRowAndPosition => 2 * _tensors.Sum(t => t.Bytes(1, 1));
    /// <summary>Rows currently cached (1 after the prompt).</summary>
    public int Rows { get; private set; }
    /// <summary>Positions cached per row (the past length P).</summary>
    public int Length { get; private set; }

    /// <summary>Forgets the cached sequence (buffers are kept for the next one).</summary>
    public void Reset(int rows)
    {
        Rows = rows;
        Length = 0;
    }

    /// <summary>Tensor <paramref name="index"/> of the cache as the next run's past input. Dispose the view after the run.</summary>
    public OrtValue PastView(int index) =>
        _current[index].View(_tensors[index].ElementType, _tensors[index].Shape(Rows, Length));

    /// <summary>Where the run writes tensor <paramref name="index"/>'s present for <paramref name="rows"/> × <paramref name="length"/>.</summary>
    public OrtValue PresentTarget(int index, int rows, int length)
    {
        var tensor = _tensors[index];
        _next[index].EnsureCapacity(tensor.Bytes(rows, length), tensor.Bytes(rows, _contextLength));
        return _next[index].View(tensor.ElementType, tensor.Shape(rows, length));
    }

    /// <summary>After a successful run: the presents written to the targets become the cache.</summary>
    public void CommitPresents(int rows, int length)
    {
        (_current, _next) = (_next, _current);
        Rows = rows;
        Length = length;
    }

    /// <summary>Row r of the cache becomes old row <c>parents[r]</c>; the row count becomes <c>parents.Length</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public unsafe void Reorder(ReadOnlySpan<int> parents)
    {
        if (IsIdentity(parents))
            return;
        var rows = parents.Length;
        for (var t = 0; t < _tensors.Count; t++)
        {
            var tensor = _tensors[t];
            _next[t].EnsureCapacity(tensor.Bytes(rows, Length), tensor.Bytes(rows, _contextLength));
            var rowBytes = tensor.RowBytes(Length);
            var outer = tensor.OuterBlocks;
            var src = (byte*)_current[t].Pointer;
            var dst = (byte*)_next[t].Pointer;
            for (long o = 0; o < outer; o++)
                for (var r = 0; r < rows; r++)
                    Buffer.MemoryCopy(
                        src + (o * Rows + parents[r]) * rowBytes,
                        dst + (o * rows + r) * rowBytes,
                        rowBytes, rowBytes);
        }
        (_current, _next) = (_next, _current);
        Rows = rows;
    }

    private bool IsIdentity(ReadOnlySpan<int> parents)
    {
        if (parents.Length != Rows)
            return false;
        for (var r = 0; r < parents.Length; r++)
            if (parents[r] != r)
                return false;
        return true;
    }

    public void Dispose()
    {
        foreach (var buffer in _current.Concat(_next))
            buffer.Dispose();
    }
}

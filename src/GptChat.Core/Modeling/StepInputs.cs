using System.Runtime.CompilerServices;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace GptChat.Modeling;

/// <summary>
/// Reused native buffers for the small per-step inputs (ids, attention mask, positions, use_cache_branch),
/// written in whichever integer type the graph declares (int64 for Hub exports, int32 for ORT's exporter).
/// Rows are never padded, so the mask is all ones and positions run on from the cached length as
/// Hugging Face builds them (<c>cumsum(mask) - 1</c>).
/// Per-step loops are marked AggressiveOptimization so the first generations do not run tier-0 code.
/// </summary>
internal sealed class StepInputs : IDisposable
{
    private readonly NativeBuffer _ids = new();
    private readonly NativeBuffer _mask = new();
    private readonly NativeBuffer _positions = new();
    private readonly NativeBuffer _flag = new();
    private long _onesCount;
    private TensorElementType _onesType;

    /// <summary><c>input_ids</c> [rows, sequence] from row-major <paramref name="ids"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public OrtValue Ids(TensorElementType type, ReadOnlySpan<int> ids, int rows, int sequence)
    {
        _ids.EnsureCapacity((long)ids.Length * ElementTypes.SizeOf(type));
        if (type == TensorElementType.Int64)
        {
            var span = _ids.AsSpan<long>(ids.Length);
            for (var i = 0; i < ids.Length; i++)
                span[i] = ids[i];
        }
        else
        {
            ids.CopyTo(_ids.AsSpan<int>(ids.Length));
        }
        return _ids.View(type, [rows, sequence]);
    }

    /// <summary><c>attention_mask</c> [rows, total] of ones.</summary>
    public OrtValue Mask(TensorElementType type, int rows, int total)
    {
        var count = (long)rows * total;
        if (count > _onesCount || type != _onesType)
        {
            _mask.EnsureCapacity(count * ElementTypes.SizeOf(type));
            _onesCount = _mask.CapacityBytes / ElementTypes.SizeOf(type);
            _onesType = type;
            if (type == TensorElementType.Int64)
                _mask.AsSpan<long>((int)_onesCount).Fill(1);
            else
                _mask.AsSpan<int>((int)_onesCount).Fill(1);
        }
        return _mask.View(type, [rows, total]);
    }

    /// <summary><c>position_ids</c> [rows, count]: every row holds start, start+1, …</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public OrtValue Positions(TensorElementType type, int rows, int start, int count)
    {
        var total = rows * count;
        _positions.EnsureCapacity((long)total * ElementTypes.SizeOf(type));
        if (type == TensorElementType.Int64)
        {
            var span = _positions.AsSpan<long>(total);
            for (var i = 0; i < total; i++)
                span[i] = start + i % count;
        }
        else
        {
            var span = _positions.AsSpan<int>(total);
            for (var i = 0; i < total; i++)
                span[i] = start + i % count;
        }
        return _positions.View(type, [rows, count]);
    }

    /// <summary>The merged decoder's <c>use_cache_branch</c> [1].</summary>
    public OrtValue UseCacheBranch(bool value)
    {
        _flag.EnsureCapacity(1);
        _flag.AsSpan<bool>(1)[0] = value;
        return _flag.View(TensorElementType.Bool, [1]);
    }

    public void Dispose()
    {
        _ids.Dispose();
        _mask.Dispose();
        _positions.Dispose();
        _flag.Dispose();
    }
}

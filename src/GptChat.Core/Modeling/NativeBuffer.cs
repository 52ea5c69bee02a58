using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace GptChat.Modeling;

/// <summary>
/// A growable block of native memory that ONNX Runtime reads inputs from and writes outputs into, so the
/// per-step tensors need no allocation once the buffers have grown to their working size.
/// Growing does not keep the contents: every user rewrites the buffer before the next run.
/// </summary>
internal sealed unsafe class NativeBuffer : IDisposable
{
    private const nuint Alignment = 64;
    private void* _data;
    private nuint _capacity;

    public IntPtr Pointer => (IntPtr)_data;
    public long CapacityBytes => (long)_capacity;

    /// <summary>
    /// Makes room for <paramref name="bytes"/>. Grows by at least half the current size (so a cache that grows
    /// one token per step reallocates rarely) but never past <paramref name="maxUsefulBytes"/> when that is larger
    /// than the request. Contents are lost when it grows.
    /// </summary>
    public void EnsureCapacity(long bytes, long maxUsefulBytes = 0)
    {
        if (_data != null && (nuint)bytes <= _capacity)
            return;
        var grown = (long)_capacity + (long)_capacity / 2;
        var target = Math.Max(bytes, maxUsefulBytes > bytes ? Math.Min(grown, maxUsefulBytes) : bytes);
        target = Math.Max(target, (long)Alignment);
        Release();
        _data = NativeMemory.AlignedAlloc((nuint)target, Alignment);
        _capacity = (nuint)target;
    }

    public Span<T> AsSpan<T>(int count) where T : unmanaged
    {
        if ((nuint)count * (nuint)sizeof(T) > _capacity)
            throw new InvalidOperationException("native buffer too small");
        return new Span<T>(_data, count);
    }

    /// <summary>A tensor over the start of the buffer; it does not own the memory. Dispose it after the run.</summary>
    public OrtValue View(TensorElementType type, long[] shape)
    {
        long count = 1;
        foreach (var d in shape)
            count *= d;
        var bytes = count * ElementTypes.SizeOf(type);
        EnsureCapacity(bytes);
        return OrtValue.CreateTensorValueWithData(OrtMemoryInfo.DefaultInstance, type, shape, Pointer, bytes);
    }

    /// <summary>Frees the memory (e.g. a large prefill scratch); the buffer can grow again later.</summary>
    public void Release()
    {
        if (_data != null)
            NativeMemory.AlignedFree(_data);
        _data = null;
        _capacity = 0;
    }

    public void Dispose() => Release();
}

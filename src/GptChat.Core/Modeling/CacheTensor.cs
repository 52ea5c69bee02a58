using Microsoft.ML.OnnxRuntime.Tensors;

namespace GptChat.Modeling;

/// <summary>
/// One tensor of the KV cache as a graph sees it: the input that takes the cached positions
/// (<c>past_key_values.0.key</c>, or the stacked <c>past_0</c> of ORT's own GPT-2 exporter) and the output that
/// returns them with this call's positions appended (<c>present.0.key</c> / <c>present_0</c>).
/// </summary>
/// <param name="Template">The shape with the batch and sequence axes left as 0: [B,H,P,D] or stacked [2,B,H,P,D].</param>
internal sealed record CacheTensor(
    string PastName, string PresentName, TensorElementType ElementType,
    long[] Template, int BatchAxis, int SequenceAxis)
{
    /// <summary>The shape for <paramref name="rows"/> rows holding <paramref name="length"/> positions.</summary>
    public long[] Shape(int rows, int length)
    {
        var shape = (long[])Template.Clone();
        shape[BatchAxis] = rows;
        shape[SequenceAxis] = length;
        return shape;
    }

    /// <summary>Bytes of the whole tensor: the outer blocks × rows × one row (no shape array built, as this runs every step).</summary>
    public long Bytes(int rows, int length) => OuterBlocks * rows * RowBytes(length);

    /// <summary>How many blocks sit before the batch axis (2 when K and V are stacked in front of it, else 1).</summary>
    public long OuterBlocks
    {
        get
        {
            long outer = 1;
            for (var i = 0; i < BatchAxis; i++)
                outer *= Template[i];
            return outer;
        }
    }

    /// <summary>Bytes of one row inside one outer block: everything after the batch axis.</summary>
    public long RowBytes(int length)
    {
        long count = 1;
        for (var i = BatchAxis + 1; i < Template.Length; i++)
            count *= i == SequenceAxis ? length : Template[i];
        return count * ElementTypes.SizeOf(ElementType);
    }
}

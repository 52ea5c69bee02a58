using Microsoft.ML.OnnxRuntime.Tensors;

namespace GptChat.Modeling;

/// <summary>Byte sizes and names of the ONNX tensor element types a GPT-2 graph uses.</summary>
internal static class ElementTypes
{
    public static int SizeOf(TensorElementType type) => type switch
    {
        TensorElementType.Float or TensorElementType.Int32 or TensorElementType.UInt32 => 4,
        TensorElementType.Float16 or TensorElementType.BFloat16 or TensorElementType.Int16 or TensorElementType.UInt16 => 2,
        TensorElementType.Int64 or TensorElementType.UInt64 or TensorElementType.Double => 8,
        TensorElementType.Bool or TensorElementType.Int8 or TensorElementType.UInt8 => 1,
        _ => throw new NotSupportedException($"tensor element type {type} is not supported"),
    };

    /// <summary>The ONNX spelling, for messages.</summary>
    public static string Name(TensorElementType type) => type switch
    {
        TensorElementType.Float => "float32",
        TensorElementType.Float16 => "float16",
        TensorElementType.BFloat16 => "bfloat16",
        TensorElementType.Int64 => "int64",
        TensorElementType.Int32 => "int32",
        TensorElementType.Bool => "bool",
        _ => type.ToString().ToLowerInvariant(),
    };
}

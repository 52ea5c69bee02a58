using System.Numerics.Tensors;

namespace GptChat.Generation;

/// <summary>Numerically stable softmax and log-softmax in float32 (as torch computes them), vectorised.</summary>
internal static class Softmax
{
    /// <summary><c>dest = x - max - log(sum(exp(x - max)))</c>; <paramref name="scratch"/> is at least as long as x.</summary>
    public static void LogSoftmax(ReadOnlySpan<float> x, Span<float> dest, Span<float> scratch)
    {
        var shifted = dest[..x.Length];
        TensorPrimitives.Subtract(x, TensorPrimitives.Max(x), shifted);
        var exp = scratch[..x.Length];
        TensorPrimitives.Exp(shifted, exp);
        TensorPrimitives.Subtract(shifted, MathF.Log(TensorPrimitives.Sum(exp)), shifted);
    }

    /// <summary><c>dest = exp(x - max) / sum(exp(x - max))</c>.</summary>
    public static void Probabilities(ReadOnlySpan<float> x, Span<float> dest)
    {
        var probs = dest[..x.Length];
        TensorPrimitives.Subtract(x, TensorPrimitives.Max(x), probs);
        TensorPrimitives.Exp(probs, probs);
        TensorPrimitives.Divide(probs, TensorPrimitives.Sum(probs), probs);
    }
}

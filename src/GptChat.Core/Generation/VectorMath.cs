using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace GptChat.Generation;

/// <summary>
/// The vocabulary-sized float32 kernels of a generation step (softmax, log-softmax, max, argmax, scalar
/// add/divide), written with <see cref="Vector{T}"/> and compiled fully optimised on first use.
/// </summary>
/// <remarks>
/// Why not TensorPrimitives: its generic kernels live in a package assembly without ReadyToRun code, so
/// with tiered compilation they run as unoptimised tier-0 code for the first dozens of steps (several ms
/// per beam step). <see cref="MethodImplOptions.AggressiveOptimization"/> on these few methods gives
/// optimised code from the first token without turning tiering off for the whole process.
/// Arithmetic follows torch's formulas in float32: log_softmax = (x - max) - log(Σ exp(x - max)).
/// </remarks>
internal static class VectorMath
{
    /// <summary><c>dest = (x - max) - log(Σ exp(x - max))</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void LogSoftmax(ReadOnlySpan<float> x, Span<float> dest)
    {
        var max = Max(x);
        var logSum = MathF.Log(SumExp(x, max, dest));
        var xv = MemoryMarshal.Cast<float, Vector<float>>(x);
        var dv = MemoryMarshal.Cast<float, Vector<float>>(dest[..x.Length]);
        var m = new Vector<float>(max);
        var l = new Vector<float>(logSum);
        for (var i = 0; i < xv.Length; i++)
            dv[i] = (xv[i] - m) - l;
        for (var i = xv.Length * Vector<float>.Count; i < x.Length; i++)
            dest[i] = (x[i] - max) - logSum;
    }

    /// <summary><c>dest = exp(x - max) / Σ exp(x - max)</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Softmax(ReadOnlySpan<float> x, Span<float> dest)
    {
        var probs = dest[..x.Length];
        var sum = SumExp(x, Max(x), probs);
        Divide(probs, sum, probs);
    }

    /// <summary>Writes <c>exp(x - shift)</c> to <paramref name="dest"/> and returns its sum.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float SumExp(ReadOnlySpan<float> x, float shift, Span<float> dest)
    {
        var xv = MemoryMarshal.Cast<float, Vector<float>>(x);
        var dv = MemoryMarshal.Cast<float, Vector<float>>(dest[..x.Length]);
        var s = new Vector<float>(shift);
        var acc = Vector<float>.Zero;
        for (var i = 0; i < xv.Length; i++)
        {
            var e = Exp(xv[i] - s);
            dv[i] = e;
            acc += e;
        }
        var sum = Vector.Sum(acc);
        for (var i = xv.Length * Vector<float>.Count; i < x.Length; i++)
        {
            var e = MathF.Exp(x[i] - shift);
            dest[i] = e;
            sum += e;
        }
        return sum;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float Max(ReadOnlySpan<float> x)
    {
        var xv = MemoryMarshal.Cast<float, Vector<float>>(x);
        var max = float.NegativeInfinity;
        if (xv.Length > 0)
        {
            var acc = xv[0];
            for (var i = 1; i < xv.Length; i++)
                acc = Vector.Max(acc, xv[i]);
            for (var j = 0; j < Vector<float>.Count; j++)
                max = Math.Max(max, acc[j]);
        }
        for (var i = xv.Length * Vector<float>.Count; i < x.Length; i++)
            max = Math.Max(max, x[i]);
        return max;
    }

    /// <summary>The first index of the largest value, as torch.argmax (ties: lowest index).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int IndexOfMax(ReadOnlySpan<float> x)
    {
        var best = 0;
        for (var i = 1; i < x.Length; i++)
            if (x[i] > x[best])
                best = i;
        return best;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Add(ReadOnlySpan<float> x, float value, Span<float> dest)
    {
        var xv = MemoryMarshal.Cast<float, Vector<float>>(x);
        var dv = MemoryMarshal.Cast<float, Vector<float>>(dest[..x.Length]);
        var v = new Vector<float>(value);
        for (var i = 0; i < xv.Length; i++)
            dv[i] = xv[i] + v;
        for (var i = xv.Length * Vector<float>.Count; i < x.Length; i++)
            dest[i] = x[i] + value;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Divide(ReadOnlySpan<float> x, float value, Span<float> dest)
    {
        var xv = MemoryMarshal.Cast<float, Vector<float>>(x);
        var dv = MemoryMarshal.Cast<float, Vector<float>>(dest[..x.Length]);
        var v = new Vector<float>(value);
        for (var i = 0; i < xv.Length; i++)
            dv[i] = xv[i] / v;
        for (var i = xv.Length * Vector<float>.Count; i < x.Length; i++)
            dest[i] = x[i] / value;
    }

    /// <summary>
    /// exp for float lanes (Cephes expf: 2^n · e^r with |r| ≤ ln2/2, degree-6 polynomial; about 1 ulp).
    /// Below -87.3 (where float32 exp leaves the normal range) the result is 0, so exp(-inf) = 0.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector<float> Exp(Vector<float> x)
    {
        var tiny = Vector.LessThan(x, new Vector<float>(-87.33654f));
        x = Vector.Min(Vector.Max(x, new Vector<float>(-87.33654f)), new Vector<float>(88f));
        var n = Vector.Floor(x * 1.44269504088896341f + new Vector<float>(0.5f));
        var r = x - n * 0.693359375f + n * 2.12194440e-4f;
        var p = new Vector<float>(1.9875691500e-4f);
        p = p * r + new Vector<float>(1.3981999507e-3f);
        p = p * r + new Vector<float>(8.3334519073e-3f);
        p = p * r + new Vector<float>(4.1665795894e-2f);
        p = p * r + new Vector<float>(1.6666665459e-1f);
        p = p * r + new Vector<float>(5.0000001201e-1f);
        var y = p * r * r + r + Vector<float>.One;
        var scale = Vector.AsVectorSingle(Vector.ShiftLeft(Vector.ConvertToInt32(n) + new Vector<int>(127), 23));
        return Vector.ConditionalSelect(tiny, Vector<float>.Zero, y * scale);
    }
}

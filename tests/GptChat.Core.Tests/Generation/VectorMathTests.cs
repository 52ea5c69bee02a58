using System.Numerics;
using GptChat.Generation;

namespace GptChat.Core.Tests.Generation;

public class VectorMathTests
{
    [Fact]
    public void Vector_exp_is_within_two_ulps_of_the_exact_value_and_exp_of_minus_infinity_is_zero()
    {
        var width = Vector<float>.Count;
        var worst = 0.0;
        for (var x = -87f; x <= 80f; x += 0.01337f)
        {
            var got = VectorMath.Exp(new Vector<float>(x))[0];
            var exact = Math.Exp(x);
            worst = Math.Max(worst, Math.Abs(got - exact) / exact);
        }
        Assert.True(worst < 2.5e-7, $"relative error {worst}");
        var special = VectorMath.Exp(new Vector<float>(float.NegativeInfinity));
        Assert.Equal(0f, special[width - 1]);
        Assert.Equal(1f, VectorMath.Exp(Vector<float>.Zero)[0]);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(33)]
    [InlineData(1000)]
    public void Log_softmax_and_softmax_match_the_definition_for_any_length(int length)
    {
        var x = Enumerable.Range(0, length).Select(i => (float)Math.Sin(i * 1.7) * 12 - 3).ToArray();
        if (length > 2)
            x[2] = float.NegativeInfinity;
        var max = x.Max();
        var logSum = Math.Log(x.Sum(v => Math.Exp(v - max)));

        var log = new float[length];
        VectorMath.LogSoftmax(x, log);
        var probs = new float[length];
        VectorMath.Softmax(x, probs);
        for (var i = 0; i < length; i++)
        {
            var expected = x[i] - max - logSum;
            if (double.IsNegativeInfinity(expected))
            {
                Assert.Equal(float.NegativeInfinity, log[i]);
                Assert.Equal(0f, probs[i]);
                continue;
            }
            Assert.Equal(expected, log[i], 1e-5);
            Assert.Equal(Math.Exp(expected), probs[i], 1e-6);
        }
    }

    [Fact]
    public void Max_argmax_add_and_divide_cover_the_vector_body_and_the_tail()
    {
        var x = Enumerable.Range(0, 37).Select(i => (float)(i % 11)).ToArray();  // 10 first at index 10
        Assert.Equal(10f, VectorMath.Max(x));
        Assert.Equal(10, VectorMath.IndexOfMax(x));
        x[36] = 11f;
        Assert.Equal(11f, VectorMath.Max(x));
        Assert.Equal(36, VectorMath.IndexOfMax(x));

        var sum = new float[37];
        VectorMath.Add(x, 0.5f, sum);
        var quotient = new float[37];
        VectorMath.Divide(x, 4f, quotient);
        for (var i = 0; i < 37; i++)
        {
            Assert.Equal(x[i] + 0.5f, sum[i]);
            Assert.Equal(x[i] / 4f, quotient[i]);
        }
    }
}

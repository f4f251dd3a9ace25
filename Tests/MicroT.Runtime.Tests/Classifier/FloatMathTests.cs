using MicroT.Runtime.Classifier;
using Xunit;

namespace MicroT.Runtime.Tests.Classifier;

public class FloatMathTests
{
    static IEnumerable<float> Sweep(float from, float to, int steps)
    {
        for (int i = 0; i <= steps; i++) yield return from + (to - from) * i / steps;
    }

    static void Close(double expected, float actual, double relative, string what)
    {
        double err = Math.Abs(actual - expected) / Math.Max(Math.Abs(expected), 1e-30);
        Assert.True(err <= relative, $"{what}: expected {expected:R}, got {actual:R} (relative error {err:E2})");
    }

    [Fact]
    public void ExpMatchesDoubleOverItsRange()
    {
        foreach (float x in Sweep(-87f, 88.5f, 20000))
            Close(Math.Exp(x), FloatMath.Exp(x), 1e-6, $"exp({x})");
    }

    [Fact]
    public void LogMatchesDoubleFromTinyToHuge()
    {
        for (float x = 1e-37f; x < 3e38f; x *= 1.37f)
            Assert.True(Math.Abs(FloatMath.Log(x) - Math.Log(x)) <= 1e-6 * Math.Max(1, Math.Abs(Math.Log(x))), $"log({x})");
        foreach (float x in Sweep(0.5f, 2f, 5000))
            Assert.True(Math.Abs(FloatMath.Log(x) - Math.Log(x)) <= 2e-7, $"log({x})");
    }

    [Fact]
    public void SqrtMatchesDoubleFromTinyToHuge()
    {
        for (float x = 1e-37f; x < 3e38f; x *= 1.11f)
            Close(Math.Sqrt(x), FloatMath.Sqrt(x), 3e-7, $"sqrt({x})");
    }

    [Fact]
    public void SpecialValues()
    {
        Assert.Equal(1f, FloatMath.Exp(0f));
        Assert.Equal(0f, FloatMath.Exp(-1000f));
        Assert.Equal(float.PositiveInfinity, FloatMath.Exp(1000f));
        Assert.True(float.IsNaN(FloatMath.Exp(float.NaN)));
        Assert.Equal(0f, FloatMath.Log(1f));
        Assert.Equal(float.NegativeInfinity, FloatMath.Log(0f));
        Assert.True(float.IsNaN(FloatMath.Log(-1f)));
        Assert.Equal(float.PositiveInfinity, FloatMath.Log(float.PositiveInfinity));
        Assert.Equal(0f, FloatMath.Sqrt(0f));
        Assert.Equal(3f, FloatMath.Sqrt(9f));
        Assert.True(float.IsNaN(FloatMath.Sqrt(-4f)));
        Assert.True(FloatMath.IsFinite(1e38f));
        Assert.False(FloatMath.IsFinite(float.NaN));
        Assert.False(FloatMath.IsFinite(float.NegativeInfinity));
    }
}

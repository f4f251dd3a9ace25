using System.Reflection;
using MicroT.ModelWriter;
using MicroT.Runtime.Kernels;
using MicroT.Runtime.Models;
using Xunit;

namespace MicroT.Runtime.Tests.Models;

/// <summary>
/// Crafted files at the format's limits (docs/FORMAT.md "Limits", "Accumulators"): a file the
/// loader accepts computes exactly what the kernels' Reference computes, and every buffer a
/// file can make the runtime allocate is bounded at load.
/// </summary>
public class LoaderLimitTests
{
    static readonly Quant In = new(1f / 255, -128);
    static readonly Quant Act = new(0.05f, 3);

    static ModelFormatException Rejects(byte[] f, string fragment)
    {
        var e = Assert.Throws<ModelFormatException>(() => Model.Load(f));
        Assert.Contains(fragment, e.Message);
        return e;
    }

    static sbyte[] Fill(int n, sbyte v)
    {
        var w = new sbyte[n];
        Array.Fill(w, v);
        return w;
    }

    static float[] Scales(int n, float s = 1e-4f)
    {
        var a = new float[n];
        Array.Fill(a, s);
        return a;
    }

    /// <summary>input -> 1x1 conv to <paramref name="channels"/> -> op under test -> pool (so the graph has a split).</summary>
    static ModelBuilder Wide(int h, int w, int channels, out int x)
    {
        var b = new ModelBuilder("limits", h, w, 1, In);
        x = b.Conv2D(b.Input, Window.Square(1), Fill(channels, 1), Scales(channels, 0.01f), null, Act, Clamp.None);
        return b;
    }

    static byte[] Finish(ModelBuilder b, int x)
    {
        int part = b.GlobalAveragePool(x, b.QuantOf(x));
        int split = b.OperatorCount;
        int full = b.GlobalAveragePool(x, b.QuantOf(x));
        b.SetSplit(split, part, full);
        return b.Write();
    }

    [Fact]
    public void PatchAboveTheLimitIsRejected()
    {
        // The reported case: a 3x3 conv on 16,384 channels (a patch of 147,456 values), where a
        // tuned lane sum overflowed. Now refused at load by the patch limit.
        var b = Wide(3, 3, 16384, out int x);
        int y = b.Conv2D(x, Window.Square(3), Fill(9 * 16384, 1), Scales(1), null, Act, Clamp.None);
        Rejects(Finish(b, y), "exceeds the limit of " + ModelFormat.MaxPatch);
    }

    [Fact]
    public void PatchAtTheLimitRunsLikeReference()
    {
        int c = ModelFormat.MaxPatch / 9; // 910 channels: patch 8,190
        var b = Wide(3, 3, c, out int x);
        var rng = new Random(5);
        var w = new sbyte[2 * 9 * c];
        for (int i = 0; i < w.Length; i++) w[i] = (sbyte)rng.Next(-127, 128);
        int y = b.Conv2D(x, Window.Square(3), w, Scales(2), new[] { 1000, -1000 }, Act, Clamp.None);
        FuzzTests.RunModel(FileEdits.Full(Finish(b, y)));
    }

    [Fact]
    public void AccumulatorThatCanLeaveInt32IsRejectedAndOneJustInsideRunsLikeReference()
    {
        // sum |w| = 9 * 127 per channel; |bias| + 255 * sum |w| must stay <= 2^30.
        long weightPart = 255L * 9 * 127;
        int atLimit = (int)(ModelFormat.MaxAccumulator - weightPart);
        foreach (int sign in new[] { 1, -1 })
        {
            var ok = Wide(4, 4, 1, out int x);
            int y = ok.Conv2D(x, Window.Square(3), Fill(9, (sbyte)(127 * sign)), Scales(1, 1e-9f), new[] { sign * atLimit }, Act, Clamp.None);
            FuzzTests.RunModel(FileEdits.Full(Finish(ok, y)));

            var bad = Wide(4, 4, 1, out x);
            y = bad.Conv2D(x, Window.Square(3), Fill(9, (sbyte)(127 * sign)), Scales(1, 1e-9f), new[] { sign * (atLimit + 1) }, Act, Clamp.None);
            Rejects(Finish(bad, y), "output channel 0 can leave int32");
        }
    }

    [Fact]
    public void AccumulatorBoundCoversDepthwiseAndFullyConnected()
    {
        var b = Wide(3, 3, 4, out int x);
        var w = new sbyte[9 * 4];
        w[2] = 127; // channel 2, first tap
        int y = b.DepthwiseConv2D(x, Window.Square(3), w, Scales(4, 1e-9f), new[] { 0, 0, (1 << 30) - 255 * 126, 0 }, Act, Clamp.None);
        Rejects(Finish(b, y), "output channel 2 can leave int32");

        var f = Wide(2, 2, 3, out x);
        y = f.FullyConnected(x, Fill(2 * 12, -100), Scales(2, 1e-9f), new[] { 0, -(1 << 30) }, Act, Clamp.None);
        Rejects(Finish(f, y), "output channel 1 can leave int32");
    }

    [Fact]
    public void BiasNearTheLimitsWithSmallWeightsRunsLikeReference()
    {
        // The folded bias bias - zp * sum(w) stays in int32 under the bound, so the tuned paths
        // (64-bit adds) and Reference (int32) agree.
        foreach (int bias in new[] { (1 << 30) - 255 * 9, -(1 << 30) + 255 * 9 })
        {
            var b = Wide(4, 4, 1, out int x);
            int y = b.Conv2D(x, Window.Square(3), Fill(18, 1), Scales(2, 1e-9f), new[] { bias, -bias }, Act, Clamp.None);
            FuzzTests.RunModel(FileEdits.Full(Finish(b, y)));
            var d = Wide(4, 4, 2, out x);
            y = d.DepthwiseConv2D(x, Window.Square(3), Fill(18, -1), Scales(2, 1e-9f), new[] { bias, -bias }, Act, Clamp.None);
            FuzzTests.RunModel(FileEdits.Full(Finish(d, y)));
        }
    }

    [Fact]
    public void ScratchIsBoundedAtLoad()
    {
        // A 3x3 depthwise conv on a 1 x 40,000 row: a kernel that buffers rows would need
        // 3 x 40,002 longs of scratch. Either the kernels need little for it, or the loader
        // refuses it; a model that loads never makes the Interpreter allocate past the limit.
        var b = Wide(1, 40000, 1, out int x);
        int y = b.DepthwiseConv2D(x, Window.Square(3), Fill(9, 1), Scales(1), null, Act, Clamp.None);
        var f = Finish(b, y);
        try
        {
            Assert.InRange(Model.Load(f).ScratchLength, 0, ModelFormat.MaxScratchLongs);
        }
        catch (ModelFormatException e)
        {
            Assert.Contains("longs of scratch, above the limit of " + ModelFormat.MaxScratchLongs, e.Message);
        }
        // The largest patch (packed conv: 4 longs per patch value) fits the limit.
        var c = Wide(3, 3, ModelFormat.MaxPatch / 9, out x);
        y = c.Conv2D(x, Window.Square(3), Fill(9 * (ModelFormat.MaxPatch / 9), 1), Scales(1), null, Act, Clamp.None);
        Assert.InRange(Model.Load(Finish(c, y)).ScratchLength, 1, ModelFormat.MaxScratchLongs);
    }

    [Fact]
    public void TotalChannelsAboveTheLimitAreRejected()
    {
        var b = new ModelBuilder("channels", 1, 1, 1, In);
        int x = b.FullyConnected(b.Input, Fill(20000, 1), Scales(20000, 0.01f), null, Act, Clamp.None);
        int y = b.FullyConnected(b.Input, Fill(20000, 1), Scales(20000, 0.01f), null, Act, Clamp.None);
        int part = b.GlobalAveragePool(x, Act);
        int split = b.OperatorCount;
        int full = b.Add(part, part, Act, Clamp.None);
        b.SetSplit(split, part, full);
        _ = y;
        Rejects(b.Write(), "above the limit of " + ModelFormat.MaxChannels);
    }

    [Fact]
    public void SoftmaxOfManyEqualLogitsRunsLikeReference()
    {
        // Depth 512 of equal logits (the 1x1 conv of a constant gives equal values): the sum of
        // exponentials reaches 512.
        var b = Wide(1, 1, 512, out int x);
        int part = b.GlobalAveragePool(x, b.QuantOf(x));
        int split = b.OperatorCount;
        int y = b.Softmax(x);
        b.SetSplit(split, part, y);
        FuzzTests.RunModel(FileEdits.Full(b.Write()));
    }

    [Fact]
    public void AnUnknownOperatorKindIsRejectedAtLoadNamingTheKind()
    {
        // The kind byte picks the operator's class (OperatorRegistry); nothing at run time switches
        // on it, so an unknown kind must stop the load.
        var file = ReferenceModels.TinyAllOps();
        int entry = FileEdits.OperatorEntry(file, 1);
        foreach (int k in new[] { 0, 9, 10, 128, 255 })
        {
            var e = Assert.Throws<ModelFormatException>(() => Model.Load(FileEdits.Edit(file, f => f[entry] = (byte)k)));
            Assert.Contains($"operator 1: kind {k} is unknown", e.Message);
            Assert.Equal(entry, e.ByteOffset);
        }
    }

    [Fact]
    public void ModelOperatorAndTensorAreReadOnlyAfterLoad()
    {
        foreach (var t in new[] { typeof(Model), typeof(Operator), typeof(Tensor) })
        {
            Assert.Empty(t.GetProperties().Where(p => p.SetMethod != null && p.SetMethod.IsPublic).Select(p => p.Name));
            Assert.Empty(t.GetFields().Where(f => !f.IsInitOnly && !f.IsLiteral).Select(f => f.Name));
        }
        Assert.DoesNotContain(typeof(Operator).GetConstructors(), c => c.IsPublic || c.IsFamily);
        // Model's properties have no setter at all (loading writes its internal fields).
        Assert.Empty(typeof(Model).GetProperties().Where(p => p.SetMethod != null).Select(p => p.Name));
    }
}

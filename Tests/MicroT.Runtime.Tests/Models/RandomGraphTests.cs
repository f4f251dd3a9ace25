using MicroT.ModelWriter;
using MicroT.Runtime.Kernels;
using MicroT.Runtime.Models;
using Xunit;
using Xunit.Abstractions;

namespace MicroT.Runtime.Tests.Models;

/// <summary>
/// Random valid graphs (branches, residual Adds, dead ends, pools, FC, Softmax, any split) are
/// written, loaded, planned and run part-then-rest (with every arena byte not alive across the
/// split scrambled in between); features must equal a run with one buffer per tensor through
/// the kernels' Reference loops, and part+rest must equal a full run.
/// </summary>
public class RandomGraphTests(ITestOutputHelper output)
{
    [Fact]
    public void RandomGraphsRunLikeTheOneBufferPerTensorReference()
    {
        var rng = new Random(2024);
        int models = 0, inPlace = 0;
        long arena = 0, naive = 0;
        for (int k = 0; k < 150; k++)
        {
            var file = RandomModel(rng);
            var m = FileEdits.Full(file);
            models++;
            arena += m.ArenaSize;
            naive += m.NaiveArenaSize;
            inPlace += m.Operators.Count(o => o.Input.ArenaOffset == o.Output.ArenaOffset || o.Input2?.ArenaOffset == o.Output.ArenaOffset);
            var it = new Interpreter(m);
            for (int j = 0; j < 2; j++)
            {
                var input = Enumerable.Range(0, m.Input.Length).Select(_ => (sbyte)rng.Next(-128, 128)).ToArray();
                var reference = ExecutorTests.ReferenceRun(m, input);
                it.SetInput(input);
                it.RunPart();
                var part = it.Arena.Skip(it.PartFeatureOffset).Take(m.PartFeatureLength).ToArray();
                // The rest may only depend on tensors alive across the split: scramble every other byte.
                var keep = new bool[m.ArenaSize];
                foreach (var t in m.Tensors.Where(t => t.FirstUse < m.SplitIndex && t.LastUse >= m.SplitIndex))
                    for (int i = 0; i < t.Length; i++) keep[t.ArenaOffset + i] = true;
                for (int i = 0; i < keep.Length; i++)
                    if (!keep[i]) it.Arena[i] = (sbyte)rng.Next(-128, 128);
                it.RunRest();
                var full = it.Arena.Skip(it.FullFeatureOffset).Take(m.FullFeatureLength).ToArray();
                Assert.Equal(reference[m.PartFeature.Index], part);
                Assert.Equal(reference[m.FullFeature.Index], full);
                it.SetInput(input);
                it.RunFull();
                Assert.Equal(full, it.Arena.Skip(it.FullFeatureOffset).Take(m.FullFeatureLength).ToArray());
            }
        }
        output.WriteLine($"{models} random models; arena {arena:N0} bytes in all vs naive {naive:N0}; {inPlace} operators ran in place");
        Assert.True(inPlace > 0, "some random graphs should use in-place operators");
    }

    static Quant RandomQuant(Random rng) => new((float)(0.005 + rng.NextDouble() * 0.045), rng.Next(-128, 20));

    static (sbyte[], float[]) RandomWeights(Random rng, int count, int channels) =>
        (Enumerable.Range(0, count).Select(_ => (sbyte)rng.Next(-127, 128)).ToArray(),
         Enumerable.Range(0, channels).Select(_ => (float)(0.001 + rng.NextDouble() * 0.01)).ToArray());

    static int[] RandomBias(Random rng, int channels) =>
        rng.Next(3) == 0 ? null : Enumerable.Range(0, channels).Select(_ => rng.Next(-5000, 5000)).ToArray();

    static Clamp RandomClamp(Random rng, Quant q) => rng.Next(3) switch { 0 => Clamp.None, 1 => Clamp.Relu(q), _ => Clamp.Relu6(q) };

    /// <summary>Adds one random operator reading random earlier tensors; returns its output or -1 if none fit.</summary>
    static int RandomOp(ModelBuilder b, Random rng, List<int> pool)
    {
        int x = pool[rng.Next(pool.Count)];
        var (h, w, c) = b.Shape(x);
        var q = RandomQuant(rng);
        var pad = rng.Next(2) == 0 ? Padding.Same : Padding.Valid;
        int kernel = rng.Next(2) == 0 ? 1 : 3;
        if (pad == Padding.Valid && (h < kernel || w < kernel)) pad = Padding.Same;
        int stride = rng.Next(3) == 0 ? 2 : 1;
        switch (rng.Next(7))
        {
            case 0:
            case 1:
            {
                int outC = rng.Next(1, 9);
                var (wt, sc) = RandomWeights(rng, outC * kernel * kernel * c, outC);
                return b.Conv2D(x, new Window(kernel, kernel, stride, stride, pad), wt, sc, RandomBias(rng, outC), q, RandomClamp(rng, q));
            }
            case 2:
            {
                var (wt, sc) = RandomWeights(rng, kernel * kernel * c, c);
                return b.DepthwiseConv2D(x, new Window(kernel, kernel, stride, stride, pad), wt, sc, RandomBias(rng, c), q, RandomClamp(rng, q));
            }
            case 3:
            {
                var same = pool.Where(t => b.Shape(t) == (h, w, c)).ToList();
                int y = same[rng.Next(same.Count)];
                return b.Add(x, y, q, RandomClamp(rng, q));
            }
            case 4:
                if (h < 2 || w < 2) return -1;
                return rng.Next(2) == 0
                    ? b.MaxPool2D(x, new Window(2, 2, 2, 2, Padding.Valid), Clamp.None)
                    : b.AveragePool2D(x, new Window(2, 2, 1, 1, Padding.Same), Clamp.None);
            case 5:
            {
                if (h * w * c > 512) return -1;
                int outN = rng.Next(1, 12);
                var (wt, sc) = RandomWeights(rng, outN * h * w * c, outN);
                return b.FullyConnected(x, wt, sc, RandomBias(rng, outN), q, RandomClamp(rng, q));
            }
            default:
                return b.Softmax(x);
        }
    }

    static byte[] RandomModel(Random rng)
    {
        int c = rng.Next(2) == 0 ? 1 : 3;
        var b = new ModelBuilder("random", rng.Next(3, 13), rng.Next(3, 13), c, RandomQuant(rng));
        var pool = new List<int> { b.Input };
        int partOps = rng.Next(1, 7), restOps = rng.Next(0, 7);
        for (int i = 0; i < partOps; i++)
        {
            int t = RandomOp(b, rng, pool);
            if (t >= 0) pool.Add(t);
        }
        int part = b.GlobalAveragePool(pool[rng.Next(pool.Count)], RandomQuant(rng));
        int split = b.OperatorCount;
        var restPool = pool.ToList();
        for (int i = 0; i < restOps; i++)
        {
            int t = RandomOp(b, rng, restPool);
            if (t >= 0) restPool.Add(t);
        }
        int full = b.GlobalAveragePool(restPool[rng.Next(restPool.Count)], RandomQuant(rng));
        b.SetSplit(split, part, full);
        return b.Build();
    }
}

using System.Diagnostics;
using MicroT.ModelWriter;
using MicroT.Runtime.Models;
using Xunit;
using Xunit.Abstractions;
using static MicroT.Runtime.Tests.Models.FileEdits;

namespace MicroT.Runtime.Tests.Models;

/// <summary>
/// Mutated model files must load as a valid model or throw ModelFormatException, nothing else.
/// Mutations of the tiny all-operator model (CRC recomputed unless said otherwise, so the parser
/// itself sees them): truncation at every length (raw, and with length and CRC patched), every
/// single-bit flip, every size/count/offset field set to extreme values, random byte runs and
/// random multi-byte edits. Every model that loads is run operator by operator and must equal
/// the kernels' Reference. Prints the count of each outcome (see docs/FORMAT.md for the command).
/// </summary>
public class FuzzTests(ITestOutputHelper output)
{
    const int Target = 100_000;

    sealed class Tally
    {
        public int Valid, Rejected, Wrong, Ran;
        public readonly Dictionary<string, int> ByCategory = new();
        public readonly List<string> Failures = new();
    }

    [Fact]
    public void HundredThousandMutatedFilesGiveAModelOrTheDocumentedException()
    {
        var original = ReferenceModels.TinyAllOps();
        var tally = new Tally();
        var rng = new Random(12345);
        var clock = Stopwatch.StartNew();

        // 1. Truncation at every length, raw and patched (length field and CRC made consistent).
        for (int len = 0; len < original.Length; len++)
        {
            Try(tally, "truncate", original[..len]);
            var patched = original[..len];
            if (len >= 12) U32(patched, ModelFormat.OffFileLength, (uint)len);
            if (len >= 16) ModelBuilder.UpdateCrc(patched);
            Try(tally, "truncate+patch", patched);
        }
        // 2. Every single-bit flip, CRC recomputed.
        for (int bit = 0; bit < original.Length * 8; bit++)
            Try(tally, "bit flip", Edit(original, f => f[bit / 8] ^= (byte)(1 << (bit % 8))));
        // 3. Every 16- and 32-bit field of the header, tables and data set to extreme values.
        uint[] extremes = { 0, 1, 0x7F, 0x80, 0xFF, 0x7FFF, 0x8000, 0xFFFF, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF, 0xFFFFFFFE, 0x10000 };
        int tableEnd = DataStart(original);
        for (int pos = 0; pos + 4 <= original.Length; pos += 2)
            foreach (uint v in extremes)
            {
                Try(tally, "size field u32", Edit(original, f => U32(f, pos, v)));
                if (pos < tableEnd) Try(tally, "size field u16", Edit(original, f => U16(f, pos, (int)(v & 0xFFFF))));
            }
        // 4. Random byte runs until the target is reached, and random scattered edits.
        while (tally.Valid + tally.Rejected + tally.Wrong < Target)
        {
            var f = (byte[])original.Clone();
            if (rng.Next(2) == 0)
            {
                int start = rng.Next(f.Length), len = rng.Next(1, 17);
                for (int i = start; i < Math.Min(f.Length, start + len); i++) f[i] = (byte)rng.Next(256);
                ModelBuilder.UpdateCrc(f);
                Try(tally, "random run", f);
            }
            else
            {
                int edits = rng.Next(1, 5);
                for (int e = 0; e < edits; e++) f[rng.Next(f.Length)] = (byte)rng.Next(256);
                if (rng.Next(8) != 0) ModelBuilder.UpdateCrc(f);
                Try(tally, "random edits", f);
            }
        }
        clock.Stop();

        int total = tally.Valid + tally.Rejected + tally.Wrong;
        output.WriteLine($"fuzz: {total} mutated files of a {original.Length}-byte model in {clock.Elapsed.TotalSeconds:F1} s");
        output.WriteLine($"  valid model:          {tally.Valid} (each also run through the interpreter: {tally.Ran})");
        output.WriteLine($"  ModelFormatException: {tally.Rejected}");
        output.WriteLine($"  anything else:        {tally.Wrong}");
        foreach (var (category, count) in tally.ByCategory) output.WriteLine($"  {category}: {count}");
        Assert.True(tally.Wrong == 0, $"{tally.Wrong} files ended in another exception:\n" + string.Join("\n", tally.Failures));
        Assert.True(total >= Target);
        Assert.True(tally.Valid > 0 && tally.Rejected > 0, "the mutations should produce both outcomes");
    }

    void Try(Tally tally, string category, byte[] file)
    {
        tally.ByCategory[category] = tally.ByCategory.GetValueOrDefault(category) + 1;
        Model model;
        try
        {
            model = Model.Load(new ByteArraySource(file), true);
        }
        catch (ModelFormatException)
        {
            tally.Rejected++;
            return;
        }
        catch (Exception e)
        {
            tally.Wrong++;
            if (tally.Failures.Count < 10) tally.Failures.Add($"{category}: {e.GetType().Name}: {e.Message}\n{e.StackTrace}");
            return;
        }
        tally.Valid++;
        if (!RunOnce(model, tally, category)) tally.Valid--;
    }

    /// <summary>A model that loads must also run; returns false (and records the failure) if it does not.</summary>
    static bool RunOnce(Model model, Tally tally, string category)
    {
        try
        {
            RunModel(model);
            tally.Ran++;
            return true;
        }
        catch (Exception e)
        {
            tally.Wrong++;
            if (tally.Failures.Count < 10) tally.Failures.Add($"{category} (run): {e.GetType().Name}: {e.Message}\n{e.StackTrace}");
            return false;
        }
    }

    /// <summary>
    /// Runs a loaded model operator by operator on two inputs (mid-grey, and a pattern of the
    /// int8 extremes that drives accumulators to their bounds); after each operator its output in
    /// the arena must equal the one-buffer-per-tensor run of the kernels' Reference loops. A model
    /// the loader accepts must compute exactly what Reference computes.
    /// </summary>
    internal static void RunModel(Model model)
    {
        var it = new Interpreter(model);
        var extremes = new sbyte[model.Input.Length];
        for (int i = 0; i < extremes.Length; i++) extremes[i] = (sbyte)((i * 7 + i / 3) % 3 == 0 ? -128 : (i % 5 == 0 ? 0 : 127));
        foreach (var input in new[] { new sbyte[model.Input.Length], extremes })
        {
            var expected = ExecutorTests.ReferenceRun(model, input);
            it.SetInput(input);
            for (int i = 0; i < model.OperatorCount; i++)
            {
                it.Run(i, i + 1);
                var t = model.Operators[i].Output;
                for (int k = 0; k < t.Length; k++)
                    if (it.Arena[t.ArenaOffset + k] != expected[t.Index][k])
                        throw new InvalidOperationException($"operator {i} ({model.Operators[i].Kind}) value {k}: tuned {it.Arena[t.ArenaOffset + k]}, Reference {expected[t.Index][k]}");
            }
        }
    }
}

using System.Reflection;
using MicroT.Runtime.Models;
using Xunit;
using Xunit.Abstractions;

namespace MicroT.Runtime.Tests.Models;

/// <summary>
/// What the loaded zoo model holds, counted in nanoFramework's heap layout (32-bit
/// nf-interpreter, ../shared/reference/NANOFRAMEWORK.md): a class instance is (fields + 1) x 12
/// bytes (every field one 12-byte heap block, whatever its type, inherited ones included); an
/// array is a 20-byte header plus its elements (references 12 bytes each), rounded up to 12; a
/// string 12 + length + 1, rounded up. The walk follows every reference from the Model (the
/// object graph the device keeps after Model.Load). Printed per type for docs/FORMAT.md "Memory";
/// the probe on the real CLR (tools/MicroT.MemoryProbe) measures the same model.
/// </summary>
public class NanoLayoutTests(ITestOutputHelper output)
{
    const int Block = 12, ArrayHeader = 20;

    static int RoundUp(long bytes) => (int)((bytes + Block - 1) / Block * Block);

    static int ElementSize(Type t) =>
        !t.IsValueType ? Block : t == typeof(sbyte) || t == typeof(byte) || t == typeof(bool) ? 1
        : t == typeof(short) || t == typeof(char) ? 2 : t == typeof(long) || t == typeof(double) ? 8 : 4;

    static IEnumerable<FieldInfo> InstanceFields(Type t)
    {
        for (; t != null && t != typeof(object); t = t.BaseType!)
            foreach (var f in t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
                yield return f;
    }

    /// <summary>Bytes per category ("Tensor", "int[]", ...) of everything reachable from root.</summary>
    public static Dictionary<string, (int Count, long Bytes)> Walk(object root)
    {
        var seen = new HashSet<object>(ReferenceEqualityComparer.Instance);
        var totals = new Dictionary<string, (int Count, long Bytes)>();
        var todo = new Stack<object>();
        todo.Push(root);
        while (todo.Count > 0)
        {
            var o = todo.Pop();
            if (!seen.Add(o)) continue;
            var t = o.GetType();
            string key;
            long bytes;
            if (o is string s) { key = "string"; bytes = RoundUp(Block + s.Length + 1); }
            else if (o is Array a)
            {
                var e = t.GetElementType()!;
                key = e.Name + "[]";
                bytes = RoundUp(ArrayHeader + (long)a.Length * ElementSize(e));
                if (!e.IsValueType) foreach (var x in a) if (x != null) todo.Push(x);
            }
            else
            {
                if (t.IsEnum || t.IsPrimitive) continue;
                var fields = InstanceFields(t).ToList();
                key = t.Name;
                bytes = (fields.Count + 1) * Block;
                foreach (var f in fields)
                    if (!f.FieldType.IsValueType && f.GetValue(o) is object v) todo.Push(v);
            }
            totals.TryGetValue(key, out var c);
            totals[key] = (c.Count + 1, c.Bytes + bytes);
        }
        return totals;
    }

    [Fact]
    public void WhatTheLoadedZooModelHoldsInNanoFrameworkLayout()
    {
        var file = File.ReadAllBytes(Path.Combine(TestPaths.RepoRoot, "zoo", "microt-s3.mtm"));
        var m = Model.Load(file);
        var totals = Walk(m);
        long all = totals.Values.Sum(v => v.Bytes);
        output.WriteLine($"[memory] zoo model {m.Name}: {all:N0} bytes in nanoFramework layout ({m.Weights.Length:N0} weight bytes)");
        foreach (var (k, v) in totals.OrderByDescending(kv => kv.Value.Bytes))
            output.WriteLine($"[memory]   {k,-28} {v.Count,4} x  {v.Bytes,8:N0} bytes");
        var it = new Interpreter(m);
        long interpreter = Walk(it).Values.Sum(v => v.Bytes) - all; // the interpreter's graph includes the model's
        output.WriteLine($"[memory] Interpreter adds {interpreter:N0} bytes (arena {m.ArenaSize:N0}, scratch {m.ScratchLength} longs)");

        // What the device keeps after load: the weights once; per weighted output channel the
        // folded bias and multiplier (int) and the shift (one byte); no raw bias, no weight scales.
        int channels = m.Operators.Where(o => o.WeightsOffset >= 0).Sum(o => o.Output.Channels);
        Assert.Equal(792, channels);
        Assert.Equal(2 * 13, totals["Int32[]"].Count);       // folded bias and multipliers of 13 weighted operators
        Assert.Equal(13, totals["SByte[]"].Count - 2);       // their shifts, beside the weights and the pixel table
        Assert.DoesNotContain("Single[]", totals.Keys);     // weight scales dropped
        Assert.All(m.Operators, o => Assert.Null(o.Bias));
        // Objects other than arrays (15 operators, their kernel parameters, 16 tensors, the model):
        // 7,488 bytes today; the whole model 43,452.
        long objects = totals.Where(kv => !kv.Key.EndsWith("[]") && kv.Key != "string").Sum(kv => kv.Value.Bytes);
        Assert.InRange(objects, 1, 7700);
        Assert.InRange(all, m.Weights.Length + 9L * channels, 44000);
        GC.KeepAlive(it);
    }
}

using MicroT.Converter;
using Xunit;
using Xunit.Abstractions;

namespace MicroT.Runtime.Tests.Converter;

/// <summary>
/// Mutated ONNX files (bit flips, byte runs, truncations of a valid MobileNet-style model) must
/// import or fail with <see cref="ConversionException"/>, never another exception.
/// </summary>
public class MalformedOnnxFuzzTests
{
    readonly ITestOutputHelper output;
    public MalformedOnnxFuzzTests(ITestOutputHelper output) => this.output = output;

    [Fact]
    public void MutatedFilesImportOrFailClearly()
    {
        var valid = TestModels.MobileNetStyle();
        var rng = new Random(12);
        int imported = 0, refused = 0;
        var unexpected = new List<string>();
        for (int i = 0; i < 6000; i++)
        {
            var f = (byte[])valid.Clone();
            switch (i % 3)
            {
                case 0: for (int k = 0; k < 1 + rng.Next(4); k++) f[rng.Next(f.Length)] ^= (byte)(1 << rng.Next(8)); break;
                case 1: { int p = rng.Next(f.Length), n = Math.Min(f.Length - p, 1 + rng.Next(8)); for (int k = 0; k < n; k++) f[p + k] = (byte)rng.Next(256); break; }
                default: Array.Resize(ref f, rng.Next(f.Length)); break;
            }
            try { OnnxImporter.Import(f, "fuzz"); imported++; }
            catch (ConversionException) { refused++; }
            catch (Exception e) { if (unexpected.Count < 10) unexpected.Add($"mutation {i}: {e.GetType().Name}: {e.Message} {e.StackTrace?.Split((char)10).FirstOrDefault(l => l.Contains("OnnxImporter"))}"); }
        }
        output.WriteLine($"6000 mutated files: {imported} imported, {refused} refused with ConversionException, {unexpected.Count} other");
        Assert.True(unexpected.Count == 0, string.Join("\n", unexpected));
    }

    static readonly long[] Odd = { 0, 1, 2, 3, 5, 7, 255, 256, -1, 65536, 70000, 1L << 31, 1L << 33 };

    /// <summary>One field of the model changed to an odd value: a node attribute, an initializer's dimensions, the input shape or a node input.</summary>
    static byte[] MutateField(Onnx.ModelProto valid, Random rng)
    {
        var m = valid.Clone();
        var g = m.Graph;
        long v = Odd[rng.Next(Odd.Length)];
        switch (rng.Next(4))
        {
            case 0:
            {
                var n = g.Node[rng.Next(g.Node.Count)];
                if (n.Attribute.Count == 0) goto case 1;
                var a = n.Attribute[rng.Next(n.Attribute.Count)];
                if (a.Ints.Count > 0) a.Ints[rng.Next(a.Ints.Count)] = v;
                else if (rng.Next(4) == 0) a.Ints.Add(v);
                else a.I = v;
                break;
            }
            case 1:
            {
                var t = g.Initializer[rng.Next(g.Initializer.Count)];
                if (t.Dims.Count > 0 && rng.Next(3) > 0) t.Dims[rng.Next(t.Dims.Count)] = v;
                else if (t.Dims.Count > 0 && rng.Next(2) == 0) t.Dims.RemoveAt(t.Dims.Count - 1);
                else t.Dims.Add(Math.Abs(v % 4) + 1);
                break;
            }
            case 2:
                g.Input[0].Type.TensorType.Shape.Dim[1 + rng.Next(3)].DimValue = v;
                break;
            default:
            {
                var n = g.Node[rng.Next(g.Node.Count)];
                var names = g.Initializer.Select(i => i.Name).Concat(g.Node.SelectMany(x => x.Output)).Append(g.Input[0].Name).ToList();
                if (n.Input.Count > 0) n.Input[rng.Next(n.Input.Count)] = names[rng.Next(names.Count)];
                break;
            }
        }
        return Google.Protobuf.MessageExtensions.ToByteArray(m);
    }

    [Fact]
    public void MutatedFilesConvertOrFailClearlyBeforeCalibrating()
    {
        // The whole pipeline (import, limits, ONNX Runtime, calibration, writer, verification) on
        // field mutations and byte mutations of a small MobileNet-style model.
        var bytes = TestModels.MobileNetStyle(size: 16);
        var valid = Onnx.ModelProto.Parser.ParseFrom(bytes);
        var rng = new Random(21);
        int converted = 0, refused = 0;
        var unexpected = new List<string>();
        for (int i = 0; i < 400; i++)
        {
            byte[] f;
            if (i % 4 != 3) f = MutateField(valid, rng);
            else { f = (byte[])bytes.Clone(); for (int k = 0; k < 1 + rng.Next(3); k++) f[rng.Next(f.Length)] ^= (byte)(1 << rng.Next(8)); }
            try
            {
                var g = OnnxImporter.Import(f, "fuzz");
                var o = new ConvertOptions { CalibrationCount = 2, MinCosine = -2 };
                ModelConverter.WriteAndVerify(ModelConverter.Prepare(g, o), o);
                converted++;
            }
            catch (ConversionException) { refused++; }
            catch (Exception e) { if (unexpected.Count < 10) unexpected.Add($"mutation {i}: {e.GetType().Name}: {e.Message} {e.StackTrace?.Split((char)10).FirstOrDefault(l => l.Contains("MicroT"))}"); }
        }
        output.WriteLine($"400 mutated files through the converter: {converted} converted, {refused} refused with ConversionException, {unexpected.Count} other");
        Assert.True(unexpected.Count == 0, string.Join("\n", unexpected));
    }
}

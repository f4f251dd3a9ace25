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
}

using System.Text.RegularExpressions;
using MicroT.Runtime.Models;
using Xunit;

namespace MicroT.Runtime.Tests.Models;

/// <summary>docs/FORMAT.md's layout tables agree with the constants the reader and writer use.</summary>
public class FormatDocTests
{
    static readonly string Doc = File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "docs", "FORMAT.md"));

    /// <summary>(offset, size, field) rows of the first table after the heading.</summary>
    static List<(int Offset, int Size, string Field)> Table(string heading)
    {
        int start = Doc.IndexOf(heading, StringComparison.Ordinal);
        Assert.True(start >= 0, $"heading '{heading}' missing from docs/FORMAT.md");
        var rows = new List<(int, int, string)>();
        bool inTable = false;
        foreach (var line in Doc[start..].Split('\n').Skip(1))
        {
            var m = Regex.Match(line, @"^\| (\d+) \| (\d+) \| ([^|]+?) \|");
            if (m.Success) { rows.Add((int.Parse(m.Groups[1].Value), int.Parse(m.Groups[2].Value), m.Groups[3].Value.Trim())); inTable = true; }
            else if (inTable && !line.StartsWith('|')) break;
        }
        return rows;
    }

    static void Contiguous(List<(int Offset, int Size, string Field)> rows, int total)
    {
        int next = 0;
        foreach (var r in rows)
        {
            Assert.True(r.Offset == next, $"'{r.Field}' documented at {r.Offset}, expected {next}");
            next += r.Size;
        }
        Assert.Equal(total, next);
    }

    [Fact]
    public void HeaderTableMatchesModelFormat()
    {
        var rows = Table("## File layout");
        Contiguous(rows, ModelFormat.HeaderSize);
        var expected = new Dictionary<string, int>
        {
            ["magic"] = ModelFormat.OffMagic, ["format version"] = ModelFormat.OffVersion, ["header size"] = ModelFormat.OffHeaderSize,
            ["file length"] = ModelFormat.OffFileLength, ["CRC-32"] = ModelFormat.OffCrc, ["name"] = ModelFormat.OffName,
            ["tensor count T"] = ModelFormat.OffTensorCount, ["operator count N"] = ModelFormat.OffOperatorCount,
            ["tensor table offset"] = ModelFormat.OffTensorTable, ["operator table offset"] = ModelFormat.OffOperatorTable,
            ["data offset D"] = ModelFormat.OffData, ["data length"] = ModelFormat.OffDataLength, ["split index S"] = ModelFormat.OffSplitIndex,
            ["part-feature tensor"] = ModelFormat.OffPartFeature, ["full-feature tensor"] = ModelFormat.OffFullFeature,
            ["resize mode"] = ModelFormat.OffResizeMode, ["pixel scale (f32)"] = ModelFormat.OffPixelScale,
            ["pixel offset (f32)"] = ModelFormat.OffPixelOffset, ["part MACs (int64)"] = ModelFormat.OffPartMacs,
            ["full MACs (int64)"] = ModelFormat.OffFullMacs,
        };
        foreach (var (field, offset) in expected)
            Assert.True(rows.Any(r => r.Field == field && r.Offset == offset), $"docs/FORMAT.md should list '{field}' at byte {offset}");
        Assert.Contains($"must be {ModelFormat.HeaderSize}", Doc);
    }

    [Fact]
    public void TensorAndOperatorTablesHaveTheEntrySizes()
    {
        Contiguous(Table("### Tensor table"), ModelFormat.TensorEntrySize);
        Contiguous(Table("### Operator table"), ModelFormat.OperatorEntrySize);
        Assert.Contains("(N entries of 48 bytes)", Doc);
        Assert.Contains("(T entries of 16 bytes at offset 112)", Doc);
    }

    [Fact]
    public void TheDocumentedErrorMessageIsTheReadersMessage()
    {
        var tiny = MicroT.ModelWriter.ReferenceModels.TinyAllOps();
        int op = FileEdits.OperatorEntry(tiny, 1);
        var e = Assert.Throws<ModelFormatException>(() => Model.Load(FileEdits.Edit(tiny, f => FileEdits.U16(f, op + 4, 5))));
        Assert.Contains("    " + e.Message + "\n", Doc);
    }

    [Fact]
    public void OperatorCodesAndLimitsAreAsDocumented()
    {
        foreach (OperatorKind k in Enum.GetValues<OperatorKind>())
            Assert.Contains($"{(int)k} {k}", Doc);
        Assert.Equal(256, ModelFormat.MaxTensors);
        Assert.Equal(256, ModelFormat.MaxOperators);
        Assert.Equal(1 << 20, ModelFormat.MaxTensorBytes);
        Assert.Equal(1 << 20, ModelFormat.MaxArenaBytes);
        Assert.Equal(16 << 20, ModelFormat.MaxFileBytes);
        Assert.Equal(1L << 30, ModelFormat.MaxMacs);
        Assert.Equal(8192, ModelFormat.MaxPatch);
        Assert.Equal(65536, ModelFormat.MaxScratchLongs);
        Assert.Equal(32768, ModelFormat.MaxChannels);
        Assert.Equal(1L << 30, ModelFormat.MaxAccumulator);
        foreach (var row in new[] {
            "| file | 16 MiB |", "| tensors, operators | 256 each |", "| one tensor | 1 MiB (H x W x C) |", "| arena | 1 MiB |",
            "| Conv2D patch KH x KW x Ci | 8,192 values |", "| kernel scratch | 65,536 longs (512 KB) |",
            "| output channels of all weighted operators | 32,768 |", "| MACs per full run | 2^30 |" })
            Assert.Contains(row, Doc);
        Assert.Contains("|bias[c]| + 255 x sum |w|  <=  2^30", Doc);
    }
}

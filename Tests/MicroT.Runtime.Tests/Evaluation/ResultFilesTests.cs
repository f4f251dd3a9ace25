using MicroT.Evaluation;
using Xunit;

namespace MicroT.Runtime.Tests.Evaluation;

public sealed class ResultFilesTests : IDisposable
{
    readonly string root = Directory.CreateTempSubdirectory("microt-results-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    static EvaluationResult Sample() => new()
    {
        Model = "m", ModelNote = "note", PartMacs = 100, FullMacs = 300, Shots = 20, Seed = 1, Folds = 5,
        Ratios = [0.5], MicrosecondsPerSimpleInstruction = 0.4, BoardPowerMilliwatts = 165,
        Rows =
        [
            new ResultRow { Task = "t", Head = "ridge", Setting = "r=0.50", TargetRatio = 0.5, Threshold = 0.75, HeldOut = 4, Correct = 3,
                Accuracy = 0.75, PartShare = 0.5, MacsPerAnswer = 200, CostPerAnswer = 1000, Saving = 0.25,
                ProjectedMilliseconds = 0.4, ProjectedMillijoules = 0.066 },
            new ResultRow { Task = "t", Head = "ridge", Setting = ResultRow.FullOnly, HeldOut = 4, Correct = 4,
                Accuracy = 1, PartShare = 0, MacsPerAnswer = 300, CostPerAnswer = 1333.3, Saving = 0,
                ProjectedMilliseconds = 0.53332, ProjectedMillijoules = 0.088 },
        ],
        Baselines = [new BaselineRow { Task = "t", Head = "ridge", Features = BaselineRow.RawPixels, FeatureLength = 1024, HeldOut = 4, Correct = 2, Accuracy = 0.5, Macs = 2048 }],
    };

    [Fact]
    public void CsvHasTheHeaderAndOneLinePerRowInInvariantFormat()
    {
        var lines = ResultFiles.Csv(Sample()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(ResultFiles.CsvHeader, lines[0]);
        Assert.Equal("m,20,1,t,ridge,r=0.50,0.50,0.750000,4,3,0.750000,0.500000,200.0,1000.0,0.250000,0.400,0.0660", lines[1]);
        Assert.Equal("m,20,1,t,ridge,full-only,,,4,4,1.000000,0.000000,300.0,1333.3,0.000000,0.533,0.0880", lines[2]);
        Assert.Equal("m,20,1,t,ridge,raw pixels,,,4,2,0.500000,,2048.0,,,,", lines[3]);
        Assert.Equal(4, lines.Length);
        Assert.All(lines, l => Assert.Equal(ResultFiles.CsvHeader.Split(',').Length, l.Split(',').Length));
    }

    [Fact]
    public void CsvQuotesAModelOrTaskNameWithAComma()
    {
        var r = Sample();
        var named = new EvaluationResult { Model = "a,b", Shots = 5, Seed = 2, Rows = [r.Rows[0]], Baselines = [] };
        var line = ResultFiles.Csv(named).Split('\n')[1];
        Assert.StartsWith("\"a,b\",5,2,t,", line);
    }

    [Fact]
    public void JsonRoundTrips()
    {
        var back = ResultFiles.FromJson(ResultFiles.ToJson(Sample()));
        Assert.Equal("note", back.ModelNote);
        Assert.Equal(2, back.Rows.Count);
        Assert.Null(back.Rows[1].TargetRatio);
        Assert.Equal(0.75, back.Rows[0].Threshold);
        Assert.Equal(ResultFiles.Csv(Sample()), ResultFiles.Csv(back));
        Assert.Equal(0.5, Assert.Single(back.Baselines).Accuracy);
    }

    [Fact]
    public void MarkdownShowsPercentages()
    {
        string md = ResultFiles.Markdown(Sample());
        Assert.Contains("| t | ridge | r=0.50 | 0.750 | 4 | 75.0% | 50.0% | 200 | 1,000 | 25.0% | 0.4 | 0.07 |", md);
        Assert.Contains("| t | ridge | raw pixels (baseline) | | 4 | 50.0% | | 2,048 (head only) | | | | |", md);
    }

    [Fact]
    public void WriteAllWritesCsvJsonAndAPng()
    {
        var files = ResultFiles.WriteAll(Sample(), Path.Combine(root, "out"));
        Assert.All(files, f => Assert.True(new FileInfo(f).Length > 0, f));
        var png = File.ReadAllBytes(files[2]);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png.Take(4));
        Assert.True(png.Length > 10_000, $"plot is only {png.Length} bytes");
    }
}

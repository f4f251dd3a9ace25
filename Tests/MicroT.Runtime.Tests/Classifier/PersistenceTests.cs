using MicroT.Runtime.Classifier;
using MicroT.Runtime.Models;
using Xunit;
using Xunit.Abstractions;

namespace MicroT.Runtime.Tests.Classifier;

/// <summary>In-memory IByteStorage that can simulate a power cut partway through a write.</summary>
public sealed class MemoryStorage : IByteStorage
{
    public readonly Dictionary<string, byte[]> Files = new();

    /// <summary>When set, the next Write stops after this many bytes and throws PowerCut.</summary>
    public int? CutAfter;

    /// <summary>True: a cut write leaves the old content past the written bytes (in-place overwrite
    /// of flash). False: the file is truncated to the written bytes (rewrite of a file).</summary>
    public bool OverwriteInPlace;

    public byte[] Read(string name) => Files.TryGetValue(name, out var b) ? (byte[])b.Clone() : null;

    public void Write(string name, byte[] data)
    {
        if (CutAfter is int cut && cut < data.Length)
        {
            CutAfter = null;
            byte[] result;
            if (OverwriteInPlace && Files.TryGetValue(name, out var old))
            {
                result = (byte[])old.Clone();
                if (result.Length < cut) Array.Resize(ref result, cut);
                Array.Copy(data, result, cut);
            }
            else result = data.Take(cut).ToArray();
            Files[name] = result;
            throw new PowerCut();
        }
        Files[name] = (byte[])data.Clone();
    }

    public MemoryStorage Clone()
    {
        var c = new MemoryStorage { OverwriteInPlace = OverwriteInPlace };
        foreach (var kv in Files) c.Files[kv.Key] = (byte[])kv.Value.Clone();
        return c;
    }
}

public sealed class PowerCut : Exception { }

public class PersistenceTests(ITestOutputHelper output)
{
    static ClassifierTask MakeTask(string name, int seed, float threshold = 0.6f)
    {
        var rng = new Random(seed);
        LinearHead Head(HeadKind kind, int d, float scale, int zp) => new(kind, d, 3, scale, zp,
            Enumerable.Range(0, 3 * d).Select(_ => (float)rng.NextDouble() - 0.5f).ToArray(),
            new[] { 0.1f, -0.2f, LinearHead.AbsentClassBias });
        return new ClassifierTask(name, new[] { "cat", "dög", "" }, Head(HeadKind.Logistic, 8, 0.05f, -128),
            Head(HeadKind.Ridge, 12, 0.02f, -3), threshold);
    }

    static void AssertSame(ClassifierTask expected, ClassifierTask actual)
    {
        Assert.Equal(expected.Name, actual.Name);
        Assert.Equal(expected.Threshold, actual.Threshold);
        Assert.Equal(expected.ClassNames, actual.ClassNames);
        foreach (var (e, a) in new[] { (expected.PartHead, actual.PartHead), (expected.FullHead, actual.FullHead) })
        {
            Assert.Equal(e.Kind, a.Kind);
            Assert.Equal(e.FeatureLength, a.FeatureLength);
            Assert.Equal(e.FeatureScale, a.FeatureScale);
            Assert.Equal(e.FeatureZeroPoint, a.FeatureZeroPoint);
            Assert.Equal(e.IsQuantized, a.IsQuantized);
            Assert.Equal(e.Weights, a.Weights);
            Assert.Equal(e.QuantizedWeights, a.QuantizedWeights);
            Assert.Equal(e.WeightScales, a.WeightScales);
            Assert.Equal(e.Bias, a.Bias);
        }
    }

    [Fact]
    public void RoundTripKeepsEveryField()
    {
        var task = MakeTask("shoes", 1);
        AssertSame(task, TaskSerializer.FromBytes(TaskSerializer.ToBytes(task)));
    }

    [Fact]
    public void TrainedTaskRoundTripsAndPredictsTheSame()
    {
        var part = RealFeatures.Train("mnist", 4, 5);
        var full = RealFeatures.Train("mnist", 2, 5);
        var task = TaskTrainer.Train("digits", Enumerable.Range(0, 10).Select(i => i.ToString()).ToArray(), part, full,
            new TaskTrainingOptions { Folds = 3 });
        var copy = TaskSerializer.FromBytes(TaskSerializer.ToBytes(task));
        AssertSame(task, copy);
    }

    /// <summary>A task saved by the runtime before int8 heads (format version 1: the package
    /// consumer's logistic task, committed as its bytes) still loads, answers as its float weights
    /// say (the score computed here from the file's own bytes, as version 1 documents them), and
    /// saved again (version 2) comes back field for field.</summary>
    [Fact]
    public void VersionOneTasksStillLoadAndResaveAsVersionTwo()
    {
        byte[] v1 = File.ReadAllBytes(Path.Combine(TestPaths.RepoRoot, "Tests/MicroT.Runtime.Tests/Classifier/Data/fmnist-logistic.v1.mttk"));
        Assert.Equal(1, BitConverter.ToUInt16(v1, 4));
        var task = TaskSerializer.FromBytes(v1);
        Assert.Equal("fmnist-logistic", task.Name);
        Assert.False(task.PartHead.IsQuantized);
        Assert.False(task.FullHead.IsQuantized);
        // The part head's first weight and bias straight from the version 1 layout.
        int at = 12 + 2 + 2 * task.Name.Length + 4 + 2;
        foreach (var name in task.ClassNames) at += 2 + 2 * name.Length;
        Assert.Equal(1, v1[at]);                                        // kind: logistic
        int d = BitConverter.ToInt32(v1, at + 2);
        Assert.Equal(task.PartHead.FeatureLength, d);
        Assert.Equal(BitConverter.ToSingle(v1, at + 14), task.PartHead.Weights[0]);
        Assert.Equal(BitConverter.ToSingle(v1, at + 14 + 4 * d * task.ClassCount), task.PartHead.Bias[0]);
        byte[] v2 = TaskSerializer.ToBytes(task);
        Assert.Equal(2, BitConverter.ToUInt16(v2, 4));
        Assert.Equal(v1.Length, v2.Length);                             // float heads: the same layout
        AssertSame(task, TaskSerializer.FromBytes(v2));
    }

    [Fact]
    public void UnknownVersionsAreRefusedNamingTheVersion()
    {
        byte[] good = TaskSerializer.ToBytes(MakeTask("shoes", 4));
        foreach (ushort version in new ushort[] { 0, 3, 65535 })
        {
            var bad = (byte[])good.Clone();
            BitConverter.GetBytes(version).CopyTo(bad, 4);
            BitConverter.GetBytes(Crc32.Compute(bad, 0, bad.Length - 4)).CopyTo(bad, bad.Length - 4);
            var e = Assert.Throws<TaskFormatException>(() => TaskSerializer.FromBytes(bad));
            Assert.Contains("version " + version, e.Message);
            Assert.Contains("1 to 2", e.Message);
        }
    }

    /// <summary>A trained task's int8 heads round-trip byte for byte, at a quarter of the float size.</summary>
    [Fact]
    public void QuantizedTaskRoundTripsAtAQuarterOfTheWeightBytes()
    {
        var part = RealFeatures.Train("mnist", 4, 5);
        var full = RealFeatures.Train("mnist", 2, 5);
        string[] names = Enumerable.Range(0, 10).Select(i => i.ToString()).ToArray();
        var task = TaskTrainer.Train("digits", names, part, full, new TaskTrainingOptions());
        Assert.True(task.PartHead.IsQuantized && task.FullHead.IsQuantized);
        byte[] bytes = TaskSerializer.ToBytes(task);
        AssertSame(task, TaskSerializer.FromBytes(bytes));
        var floats = new TaskTrainingOptions();
        floats.Part.QuantizeWeights = false;
        floats.Full.QuantizeWeights = false;
        byte[] floatBytes = TaskSerializer.ToBytes(TaskTrainer.Train("digits", names, part, full, floats));
        int weights = 10 * (49 + 196);
        Assert.Equal(floatBytes.Length - 3 * weights + 4 * 2 * 10, bytes.Length);   // 1 byte per weight instead of 4, + a scale per class
    }

    [Fact]
    public void EveryTruncationAndEveryByteFlipIsRejectedWithTheDocumentedException()
    {
        byte[] good = TaskSerializer.ToBytes(MakeTask("shoes", 2));
        for (int length = 0; length < good.Length; length++)
            Assert.Throws<TaskFormatException>(() => TaskSerializer.FromBytes(good.Take(length).ToArray()));
        for (int i = 0; i < good.Length; i++)
            for (int bit = 0; bit < 8; bit += 3)
            {
                var bad = (byte[])good.Clone();
                bad[i] ^= (byte)(1 << bit);
                Assert.Throws<TaskFormatException>(() => TaskSerializer.FromBytes(bad));
            }
    }

    /// <summary>Corrupt fields with a recomputed CRC, so the field checks themselves are exercised.</summary>
    [Fact]
    public void CraftedFilesWithValidCrcAreRejectedNamingTheField()
    {
        byte[] good = TaskSerializer.ToBytes(MakeTask("shoes", 3));
        string Fail(Action<byte[]> edit)
        {
            var bad = (byte[])good.Clone();
            edit(bad);
            uint crc = Crc32.Compute(bad, 0, bad.Length - 4);
            BitConverter.GetBytes(crc).CopyTo(bad, bad.Length - 4);
            return Assert.Throws<TaskFormatException>(() => TaskSerializer.FromBytes(bad)).Message;
        }
        Assert.Contains("version", Fail(b => b[4] = 9));
        Assert.Contains("length field", Fail(b => b[8] ^= 1));
        Assert.Contains("task name", Fail(b => { b[12] = 0xFF; b[13] = 0xFF; }));          // name length 65535
        Assert.Contains("'", Fail(b => b[14] = (byte)' '));                                   // bad character in name
        int thresholdAt = 12 + 2 + 2 * 5;
        Assert.Contains("threshold", Fail(b => BitConverter.GetBytes(float.NaN).CopyTo(b, thresholdAt)));
        Assert.Contains("class count", Fail(b => { b[thresholdAt + 4] = 0; b[thresholdAt + 5] = 0; }));
        int partAt = thresholdAt + 6 + (2 + 6) + (2 + 6) + 2;
        Assert.Contains("head kind", Fail(b => b[partAt] = 7));
        Assert.Contains("feature length", Fail(b => BitConverter.GetBytes(int.MaxValue).CopyTo(b, partAt + 2)));
        Assert.Contains("feature length", Fail(b => BitConverter.GetBytes(-5).CopyTo(b, partAt + 2)));
        Assert.Contains("featureScale", Fail(b => BitConverter.GetBytes(-1f).CopyTo(b, partAt + 6)));
        Assert.Contains("weight 0", Fail(b => BitConverter.GetBytes(float.PositiveInfinity).CopyTo(b, partAt + 14)));
        Assert.Contains("head kind", Fail(b => BitConverter.GetBytes(7).CopyTo(b, partAt + 2)));   // misaligns the full head

        // Four extra bytes before the CRC, length and CRC fixed up.
        var longer = good.Take(good.Length - 4).Concat(new byte[4]).Concat(new byte[4]).ToArray();
        BitConverter.GetBytes(longer.Length).CopyTo(longer, 8);
        BitConverter.GetBytes(Crc32.Compute(longer, 0, longer.Length - 4)).CopyTo(longer, longer.Length - 4);
        Assert.Contains("4 unexpected bytes", Assert.Throws<TaskFormatException>(() => TaskSerializer.FromBytes(longer)).Message);
    }

    [Fact]
    public void SaveLoadKeepsTheNewestCopy()
    {
        var storage = new MemoryStorage();
        var tasks = new TaskStorage(storage);
        Assert.Null(tasks.Load("shoes"));
        for (int version = 1; version <= 5; version++)
        {
            var task = MakeTask("shoes", version);
            tasks.Save(task);
            AssertSame(task, new TaskStorage(storage).Load("shoes"));
        }
        Assert.Equal(2, storage.Files.Count);
        tasks.Save(MakeTask("hats", 9));
        AssertSame(MakeTask("shoes", 5), tasks.Load("shoes"));
        AssertSame(MakeTask("hats", 9), tasks.Load("hats"));
    }

    /// <summary>The test: a power cut at every byte offset of a save leaves the old or the new task.</summary>
    [Theory]
    [InlineData(false, 1)]
    [InlineData(true, 1)]
    [InlineData(false, 4)]   // after several saves both slots hold tasks, the older one gets overwritten
    [InlineData(true, 4)]
    public void PowerCutAtEveryByteLeavesOldOrNewTask(bool overwriteInPlace, int earlierSaves)
    {
        var baseStorage = new MemoryStorage { OverwriteInPlace = overwriteInPlace };
        ClassifierTask old = null;
        for (int i = 0; i < earlierSaves; i++)
        {
            old = MakeTask("shoes", 100 + i, 0.1f * i);
            new TaskStorage(baseStorage).Save(old);
        }
        var fresh = MakeTask("shoes", 42, 0.77f);
        int recordLength = TaskSerializer.ToBytes(fresh).Length + 12;
        int sawOld = 0, sawNew = 0;
        for (int cut = 0; cut <= recordLength; cut++)
        {
            var storage = baseStorage.Clone();
            storage.CutAfter = cut;
            try { new TaskStorage(storage).Save(fresh); }
            catch (PowerCut) { }
            var loaded = new TaskStorage(storage).Load("shoes");   // a reboot: nothing carried over
            if (cut < recordLength) { AssertSame(old, loaded); sawOld++; }
            else { AssertSame(fresh, loaded); sawNew++; }
            // And the next save after the reboot works and wins.
            var next = MakeTask("shoes", 7, 0.3f);
            new TaskStorage(storage).Save(next);
            AssertSame(next, new TaskStorage(storage).Load("shoes"));
        }
        output.WriteLine($"{recordLength + 1} cut points: old task loaded {sawOld} times, new {sawNew}");
    }

    [Fact]
    public void CorruptSlotsWithoutAnyValidCopyGiveAClearError()
    {
        var storage = new MemoryStorage();
        storage.Files["shoes.0"] = new byte[] { 1, 2, 3 };
        var e = Assert.Throws<TaskFormatException>(() => new TaskStorage(storage).Load("shoes"));
        Assert.Contains("no valid saved copy of task 'shoes'", e.Message);
        // A valid record of another task copied under this name is not taken for it.
        new TaskStorage(storage).Save(MakeTask("hats", 1));
        storage.Files["shoes.1"] = storage.Files["hats.0"];
        Assert.Contains("holds task 'hats'", Assert.Throws<TaskFormatException>(() => new TaskStorage(storage).Load("shoes")).Message);
    }

    [Fact]
    public void TaskSetAddressesTasksByNameAndIndex()
    {
        var set = new TaskSet();
        Assert.Equal(0, set.Set(MakeTask("shoes", 1)));
        Assert.Equal(1, set.Set(MakeTask("hats", 2)));
        Assert.Equal("hats", set[1].Name);
        Assert.Equal("shoes", set["shoes"].Name);
        Assert.Equal(1, set.IndexOf("hats"));
        Assert.Equal(-1, set.IndexOf("socks"));
        Assert.Contains("no task named 'socks'", Assert.Throws<ArgumentException>(() => set["socks"]).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => set[2]);
        var replacement = MakeTask("shoes", 3, 0.9f);
        Assert.Equal(0, set.Set(replacement));
        Assert.Same(replacement, set["shoes"]);
        Assert.Equal(2, set.Count);
        // A task made for another extractor (different feature length) does not fit the set.
        var other = new LinearHead(HeadKind.Logistic, 5, 3, 0.05f, -128, new float[15], new float[3]);
        var foreign = new ClassifierTask("foreign", new[] { "a", "b", "c" }, other, set[0].FullHead, 0.5f);
        Assert.Contains("other features", Assert.Throws<ArgumentException>(() => set.Set(foreign)).Message);
        Assert.True(set.Remove("shoes"));
        Assert.False(set.Remove("shoes"));
        Assert.Equal("hats", set[0].Name);
    }

    [Fact]
    public void CrcMatchesTheStandardCheckValue()
    {
        var data = "123456789"u8.ToArray();
        Assert.Equal(0xCBF43926u, Crc32.Compute(data, 0, data.Length));
    }
}

using System.Reflection;
using MicroT.Data;
using MicroT.Evaluation;
using MicroT.Runtime.Classifier;
using MicroT.Runtime.Models;

const string Usage = "usage: dotnet run --project tools/MicroT.ShareCheck -c Release -- [SEEDS]   (default 20; from the repository, after bash tools/fetch-data.sh)";
// For Fashion-MNIST and MNIST and each seed S = 1..SEEDS: the 20 shots per class `microt eval
// --seed S` draws from the train split (LabeledImageSet.ShuffledPerClass, TakePerClass's draw), the default
// TaskTrainer (ridge heads, int8 weights, r = 0.5), and the part share its threshold gives on
// (a) "train": the next 300 images per class of the same shuffled train-split order (disjoint from
// the shots, same distribution) and (b) "test": the first 300 test images per class (eval's
// --held-out 300). Beside it, "exact": the same heads with the threshold and temperature from exact
// leave-one-out scores (RidgeFit.LeaveOneOut, the calibration before new-sample scores), and what
// float head weights change at the shipped threshold. Prints share - 50 points per seed and the
// mean, standard deviation and count within +-3 points.
if (args.Length > 0 && (args[0] == "-h" || args[0] == "--help")) { Console.WriteLine(Usage); return 0; }
int seeds = 20;
if (args.Length > 1 || (args.Length == 1 && (!int.TryParse(args[0], out seeds) || seeds < 2)))
{
    Console.Error.WriteLine($"ShareCheck: expected one number of shot draws >= 2, got '{string.Join(" ", args)}'. {Usage}");
    return 2;
}
var model = Model.Load(File.ReadAllBytes("zoo/microt-s3.mtm"));
var staged = new StagedClassifier(new Interpreter(model));
int P = model.PartFeatureLength, F = model.FullFeatureLength;
var rt = typeof(TaskTrainer).Assembly;
var fitType = rt.GetType("MicroT.Runtime.Classifier.RidgeFit", throwOnError: true)!;
var fitTemperature = typeof(TaskTrainer).GetMethod("FitTemperature", BindingFlags.NonPublic | BindingFlags.Static)!;
const BindingFlags Members = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;

Console.WriteLine("task seed: share - 50 at r = 0.5 (points) | shipped: train test | exact leave-one-out: train test | float heads - int8 heads, test");
var stats = new Dictionary<string, List<double>>();
foreach (string task in new[] { "fashion-mnist", "mnist" })
{
    // The pool (train split) and held-out set (first 300 test images per class) `microt eval --held-out 300` uses.
    var loaded = TaskLoader.Load(task, model.InputWidth, model.InputHeight, 20, 1, 300);
    var train = loaded.Pool;
    var test = loaded.HeldOut;
    int C = train.ClassCount;
    var testPart = PartFeatures(test);
    for (int seed = 1; seed <= seeds; seed++)
    {
        var shots = train.TakePerClass(20, seed);
        var holdPart = PartFeatures(train.Subset(train.ShuffledPerClass(seed).SelectMany(o => o.Skip(20).Take(300)).ToArray()));
        var part = new SampleStore(P, model.PartFeatureScale, model.PartFeatureZeroPoint, C, shots.Count);
        var full = new SampleStore(F, model.FullFeatureScale, model.FullFeatureZeroPoint, C, shots.Count);
        for (int i = 0; i < shots.Count; i++) staged.AddSample(shots.Images[i], FrameFormat.Gray8, shots.Width, shots.Height, shots.Labels[i], part, full);

        var task1 = TaskTrainer.Train("t", train.ClassNames, part, full, new TaskTrainingOptions());
        double a = Share(task1.PartHead, 1f, holdPart, task1.Threshold) - 50, b = Share(task1.PartHead, 1f, testPart, task1.Threshold) - 50;
        var floatOptions = new TaskTrainingOptions();
        floatOptions.Part.QuantizeWeights = false;
        floatOptions.Full.QuantizeWeights = false;
        var taskFloat = TaskTrainer.Train("t", train.ClassNames, part, full, floatOptions);   // the same threshold, float heads
        double e = Share(taskFloat.PartHead, 1f, testPart, task1.Threshold) - 50;

        // Exact leave-one-out: the part fit as TaskTrainer drives it, scores of the fits without each sample.
        int n = part.Count;
        var fit = Activator.CreateInstance(fitType, Members, null, new object[] { part, null, n, RidgeSolver.Auto }, null)!;
        fitType.GetMethod("Select")!.Invoke(fit, new object[] { -1f });
        fitType.GetMethod("Weights")!.Invoke(fit, null);
        var scores = new float[n * C]; var correct = new bool[n];
        fitType.GetMethod("LeaveOneOut")!.Invoke(fit, new object[] { scores, correct });
        float t0 = (float)fitTemperature.Invoke(null, new object[] { scores, Enumerable.Range(0, n).Select(i => (byte)part.GetLabel(i)).ToArray(), n, C })!;
        var conf = new float[n]; var row = new float[C];
        for (int i = 0; i < n; i++) { for (int c = 0; c < C; c++) row[c] = scores[i * C + c] * t0; conf[i] = LinearHead.Confidence(row, C); }
        float thr0 = Calibration.FromScores(conf, correct, correct).ThresholdForRatio(0.5f);
        var unit = (LinearHead)fitType.GetMethod("ToHead")!.Invoke(fit, new object[] { 1f, true })!;   // temperature 1: scores x t0 below
        double c0 = Share(unit, t0, holdPart, thr0) - 50, d0 = Share(unit, t0, testPart, thr0) - 50;
        Console.WriteLine($"{task} {seed,2}: {a,6:F1} {b,6:F1} | {c0,6:F1} {d0,6:F1} | {e - b,5:F1}");
        Add(task + " shipped train", a); Add(task + " shipped test", b); Add(task + " exact train", c0); Add(task + " exact test", d0);
        Add(task + " float - int8 heads, test (the same threshold)", e - b);
    }
}
foreach (var (k, v) in stats)
{
    double mean = v.Average(), sd = Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / (v.Count - 1));
    Console.WriteLine($"{k}: mean {mean:+0.00;-0.00} sd {sd:F2} within +-3: {v.Count(x => Math.Abs(x) <= 3)} of {v.Count}");
}
return 0;

void Add(string key, double v) { if (!stats.ContainsKey(key)) stats[key] = new List<double>(); stats[key].Add(v); }

sbyte[] PartFeatures(LabeledImageSet set)
{
    var store = new SampleStore(P, model.PartFeatureScale, model.PartFeatureZeroPoint, set.ClassCount, set.Count, false);
    var fullStore = new SampleStore(F, model.FullFeatureScale, model.FullFeatureZeroPoint, set.ClassCount, set.Count, false);
    for (int i = 0; i < set.Count; i++) staged.AddSample(set.Images[i], FrameFormat.Gray8, set.Width, set.Height, set.Labels[i], store, fullStore);
    var f = new sbyte[set.Count * P]; Array.Copy(store.Features, f, f.Length);
    return f;
}

static double Share(LinearHead head, float temperature, sbyte[] features, float threshold)
{
    int d = head.FeatureLength, C = head.ClassCount, n = features.Length / d, part = 0;
    var s = new float[C];
    for (int i = 0; i < n; i++)
    {
        head.Score(features, i * d, s);
        for (int c = 0; c < C; c++) s[c] *= temperature;
        if (LinearHead.Confidence(s, C) >= threshold) part++;
    }
    return 100.0 * part / n;
}

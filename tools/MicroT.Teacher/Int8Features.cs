using MicroT.Data;
using MicroT.Runtime.Models;

namespace MicroT.Teacher;

/// <summary>
/// Features of a converted .mtm model as the device computes them (the runtime's
/// Interpreter, host build), for the int8 column of the evaluation: each image padded
/// 28x28 -> 32x32, SetInput(Gray8), RunPart, RunRest; part and full features dequantized
/// ((q - zero point) * scale) and written as float32 .npy files int8_SET_{part,full}.npy.
/// Sets: fashion_pool (Fashion-MNIST train, first 1,000 per class: the few-shot pool),
/// fashion_test, mnist_train, mnist_test.
/// </summary>
public static class Int8Features
{
    public const int FashionPoolPerClass = 1000;

    public static void Write(string modelPath, string dataRoot, string outDir)
    {
        var model = Model.Load(File.ReadAllBytes(modelPath));
        var interpreter = new Interpreter(model);
        var fashionTrain = StandardDataSets.LoadFashionMnist(DataSplit.Train, dataRoot);
        var pool = fashionTrain.Subset(Enumerable.Range(0, fashionTrain.Count)
            .Where(i => i % StandardDataSets.FashionMnistTrainPerClass < FashionPoolPerClass).ToArray());
        var sets = new (string Name, LabeledImageSet Images)[]
        {
            ("fashion_pool", pool),
            ("fashion_test", StandardDataSets.LoadFashionMnist(DataSplit.Test, dataRoot)),
            ("mnist_train", StandardDataSets.LoadMnist(DataSplit.Train, dataRoot)),
            ("mnist_test", StandardDataSets.LoadMnist(DataSplit.Test, dataRoot)),
        };
        var partQ = new sbyte[model.PartFeatureLength];
        var fullQ = new sbyte[model.FullFeatureLength];
        foreach (var (name, set) in sets)
        {
            var input = set.Padded(model.InputWidth, model.InputHeight);
            var part = new float[input.Count][];
            var full = new float[input.Count][];
            for (int i = 0; i < input.Count; i++)
            {
                interpreter.SetInput(input.Images[i], FrameFormat.Gray8, input.Width, input.Height);
                interpreter.RunPart();
                interpreter.CopyPartFeatures(partQ, 0);
                interpreter.RunRest();
                interpreter.CopyFullFeatures(fullQ, 0);
                part[i] = partQ.Select(q => (q - model.PartFeatureZeroPoint) * model.PartFeatureScale).ToArray();
                full[i] = fullQ.Select(q => (q - model.FullFeatureZeroPoint) * model.FullFeatureScale).ToArray();
            }
            Npy.WriteFloat32(Path.Combine(outDir, $"int8_{name}_part.npy"), part, partQ.Length);
            Npy.WriteFloat32(Path.Combine(outDir, $"int8_{name}_full.npy"), full, fullQ.Length);
            Npy.WriteInt32(Path.Combine(outDir, $"int8_{name}_labels.npy"), set.Labels);
            Console.Error.WriteLine($"int8 features: {name} ({input.Count} images)");
        }
    }
}

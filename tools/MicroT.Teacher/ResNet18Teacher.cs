using System.Reflection;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Onnx;

namespace MicroT.Teacher;

/// <summary>
/// The distillation teacher: ImageNet ResNet-18 of NuGet Microsoft.ML.DnnImageFeaturizer.ResNet18
/// 0.23.1 (input Input247 [1,3,224,224], output Pooling395_Output_0 [1,512,1,1]).
/// Two changes let it run on small images in batches: the input's batch and spatial dims
/// become symbolic, and the last AveragePool (a fixed 7x7 window, which only fits 224x224
/// input) becomes a GlobalAveragePool, which is the same operation at 224x224.
/// Preprocessing follows the package's ResNetPreprocess.onnx: RGB 0..255 reordered to BGR,
/// minus the mean image; the mean image (224x224) is reduced to its per-channel average
/// because the input here is not 224x224. Gray images feed the same value to all three channels.
/// </summary>
public sealed class ResNet18Teacher : IDisposable
{
    public const int EmbeddingSize = 512;
    public const string InputName = "Input247";
    public const string OutputName = "Pooling395_Output_0";

    readonly InferenceSession session;
    readonly float[] meanBgr;

    public ResNet18Teacher(int threads)
    {
        string prepPath = Path.Combine(PackageRoot(), "tools", "DnnImageModels", "ResNetPrepOnnx", "ResNetPreprocess.onnx");
        meanBgr = ChannelMeans(prepPath);
        var options = new SessionOptions { IntraOpNumThreads = threads, InterOpNumThreads = 1 };
        session = new InferenceSession(Patch(ModelPath), options);
    }

    /// <summary>The unmodified ResNet18.onnx in the NuGet cache.</summary>
    public static string ModelPath =>
        Path.Combine(PackageRoot(), "tools", "DnnImageModels", "ResNet18Onnx", "ResNet18.onnx");

    /// <summary>Per-channel means (B, G, R order, as the network wants them).</summary>
    public float[] MeanBgr => (float[])meanBgr.Clone();

    static string PackageRoot()
    {
        string root = typeof(ResNet18Teacher).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .First(a => a.Key == "ResNet18Package").Value;
        if (string.IsNullOrEmpty(root) || !Directory.Exists(root))
            throw new DirectoryNotFoundException(
                $"NuGet package Microsoft.ML.DnnImageFeaturizer.ResNet18 not found at '{root}'; run `dotnet restore`.");
        return root;
    }

    static byte[] Patch(string modelPath)
    {
        var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(modelPath));
        var graph = model.Graph;
        var last = graph.Node.Single(n => n.Output.Contains(OutputName));
        if (last.OpType != "AveragePool")
            throw new InvalidDataException($"{modelPath}: expected {OutputName} to come from AveragePool, found {last.OpType}.");
        last.OpType = "GlobalAveragePool";
        last.Attribute.Clear();
        string[] names = { "N", "", "H", "W" };
        foreach (var value in new[] { graph.Input.Single(i => i.Name == InputName), graph.Output.Single(o => o.Name == OutputName) })
        {
            var dims = value.Type.TensorType.Shape.Dim;
            for (int d = 0; d < 4; d++)
            {
                bool spatialOut = value.Name == OutputName && d >= 2;
                if (names[d].Length == 0 || spatialOut) continue;
                dims[d].DimParam = names[d]; // setting the param clears the fixed value (oneof)
            }
        }
        graph.ValueInfo.Clear(); // stale 224x224 shapes of intermediate values, if any
        return model.ToByteArray();
    }

    static float[] ChannelMeans(string prepPath)
    {
        var prep = ModelProto.Parser.ParseFrom(File.ReadAllBytes(prepPath));
        var mean = prep.Graph.Initializer.Single(t => t.Name == "MeanImage");
        var values = mean.FloatData.Count > 0
            ? mean.FloatData.ToArray()
            : Enumerable.Range(0, mean.RawData.Length / 4).Select(i => BitConverter.ToSingle(mean.RawData.Span.Slice(4 * i, 4))).ToArray();
        int plane = values.Length / 3;
        var means = new float[3];
        for (int c = 0; c < 3; c++)
        {
            double sum = 0;
            for (int i = 0; i < plane; i++) sum += values[c * plane + i];
            means[c] = (float)(sum / plane);
        }
        return means;
    }

    /// <summary>
    /// Embeddings of gray images (each side x side bytes, 0..255) upscaled to size x size
    /// (bilinear, half-pixel centres as PyTorch's align_corners=False). Returns count x 512.
    /// </summary>
    public float[][] Embed(byte[][] images, int side, int size)
    {
        int n = images.Length;
        var input = Preprocess(images, side, size);
        using var results = session.Run(new[] { NamedOnnxValue.CreateFromTensor(InputName, input) });
        var output = results.Single(r => r.Name == OutputName).AsTensor<float>();
        var embeddings = new float[n][];
        for (int k = 0; k < n; k++)
        {
            embeddings[k] = new float[EmbeddingSize];
            for (int j = 0; j < EmbeddingSize; j++) embeddings[k][j] = output[k, j, 0, 0];
        }
        return embeddings;
    }

    /// <summary>The network input [n,3,size,size] for gray images (see the class comment).</summary>
    public DenseTensor<float> Preprocess(byte[][] images, int side, int size)
    {
        int n = images.Length;
        var input = new DenseTensor<float>(new[] { n, 3, size, size });
        var buffer = input.Buffer.Span;
        var scaled = new float[size * size];
        for (int k = 0; k < n; k++)
        {
            Bilinear.Resize(images[k], side, scaled, size);
            for (int c = 0; c < 3; c++)
            {
                int offset = (k * 3 + c) * size * size;
                for (int i = 0; i < scaled.Length; i++) buffer[offset + i] = scaled[i] - meanBgr[c];
            }
        }
        return input;
    }

    public void Dispose() => session.Dispose();
}

/// <summary>Bilinear upscaling with half-pixel centres, edges clamped (PyTorch
/// F.interpolate(mode="bilinear", align_corners=False)).</summary>
public static class Bilinear
{
    public static void Resize(byte[] source, int side, float[] target, int size)
    {
        float scale = (float)side / size;
        for (int y = 0; y < size; y++)
        {
            float sy = Math.Max(0, (y + 0.5f) * scale - 0.5f);
            int y0 = Math.Min((int)sy, side - 1), y1 = Math.Min(y0 + 1, side - 1);
            float fy = sy - y0;
            for (int x = 0; x < size; x++)
            {
                float sx = Math.Max(0, (x + 0.5f) * scale - 0.5f);
                int x0 = Math.Min((int)sx, side - 1), x1 = Math.Min(x0 + 1, side - 1);
                float fx = sx - x0;
                float top = source[y0 * side + x0] * (1 - fx) + source[y0 * side + x1] * fx;
                float bottom = source[y1 * side + x0] * (1 - fx) + source[y1 * side + x1] * fx;
                target[y * size + x] = top * (1 - fy) + bottom * fy;
            }
        }
    }
}

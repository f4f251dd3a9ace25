using MicroT.ModelWriter;

namespace MicroT.Evaluation;

/// <summary>
/// The model `microt demo` and `microt eval` use when no --model is given: the trained zoo
/// model if one is found (the nearest zoo/ folder above the working directory or the program,
/// its first *.mtm in ordinal order), else the reference model of tools/MicroT.ModelWriter
/// (random weights, real shapes), which the outputs then say plainly.
/// </summary>
public static class DefaultModel
{
    public const string ReferenceNote =
        "No trained zoo model was found: this is the reference model microt-ref-dscnn from tools/MicroT.ModelWriter, " +
        "a depthwise-separable CNN with RANDOM weights (real shapes and costs). Its accuracy shows what random features give, not what MicroT's trained extractor gives.";

    public static (byte[] File, string Name, string Note) Load(string path = null)
    {
        if (path != null)
        {
            if (!File.Exists(path))
                throw new EvaluationException($"The model file {Path.GetFullPath(path)} does not exist.");
            return (File.ReadAllBytes(path), Path.GetFileNameWithoutExtension(path), $"Model file {path}.");
        }
        string zoo = FindZooModel();
        if (zoo != null)
            return (File.ReadAllBytes(zoo), Path.GetFileNameWithoutExtension(zoo), $"Trained zoo model {Path.GetFileName(zoo)} (see zoo/README.md).");
        return (ReferenceModels.DepthwiseCnn(), "microt-ref-dscnn", ReferenceNote);
    }

    public static string FindZooModel()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir != null; dir = dir.Parent)
            {
                string zoo = Path.Combine(dir.FullName, "zoo");
                if (!Directory.Exists(zoo)) continue;
                var models = Directory.GetFiles(zoo, "*.mtm").OrderBy(f => f, StringComparer.Ordinal).ToArray();
                if (models.Length > 0) return models[0];
            }
        return null;
    }
}

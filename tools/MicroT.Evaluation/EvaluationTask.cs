using MicroT.Data;

namespace MicroT.Evaluation;

/// <summary>
/// One local task of the experiment: a pool of labelled images the k training shots per class
/// are drawn from, and the held-out images the staged classifier is scored on. Both are at the
/// model's input size already (see <see cref="TaskLoader"/>).
/// </summary>
public sealed class EvaluationTask
{
    public EvaluationTask(string name, LabeledImageSet pool, LabeledImageSet heldOut)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(heldOut);
        if (pool.ClassCount < 2)
            throw new EvaluationException($"Task '{name}' has {pool.ClassCount} class; a classifier needs at least two.");
        if (pool.Width != heldOut.Width || pool.Height != heldOut.Height || pool.ClassCount != heldOut.ClassCount)
            throw new EvaluationException($"Task '{name}': training pool ({pool.Width}x{pool.Height}, {pool.ClassCount} classes) and held-out set ({heldOut.Width}x{heldOut.Height}, {heldOut.ClassCount} classes) differ.");
        if (heldOut.Count == 0)
            throw new EvaluationException($"Task '{name}' has no held-out images to score.");
        Name = name;
        Pool = pool;
        HeldOut = heldOut;
    }

    /// <summary>Short name used in tables and file names, e.g. "fashion-mnist".</summary>
    public string Name { get; }

    /// <summary>Labelled images the training shots are drawn from.</summary>
    public LabeledImageSet Pool { get; }

    /// <summary>Images scored through the staged path (never used for training or calibration).</summary>
    public LabeledImageSet HeldOut { get; }

    public string[] ClassNames => Pool.ClassNames;
    public int ClassCount => Pool.ClassCount;
}

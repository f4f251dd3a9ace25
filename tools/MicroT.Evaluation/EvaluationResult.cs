namespace MicroT.Evaluation;

/// <summary>
/// One line of the experiment table: one task, one head kind, one stage-decision setting
/// (a target ratio r, or full-model-only). Costs are per answer, averaged over the held-out
/// images; time and energy are an ESP32 PROJECTION from the weighted IL cost
/// (MicroT.Profiler's Esp32Projection), not a measurement.
/// </summary>
public sealed class ResultRow
{
    public const string FullOnly = "full-only";

    public string Task { get; init; }
    /// <summary>"logistic" or "ridge".</summary>
    public string Head { get; init; }
    /// <summary>"r=0.50" or "full-only".</summary>
    public string Setting { get; init; }
    /// <summary>The ratio the threshold was calibrated for (out of fold, on the training shots); null for full-only.</summary>
    public double? TargetRatio { get; init; }
    /// <summary>Part-head confidence at or above which the part model answers; null for full-only.</summary>
    public double? Threshold { get; init; }
    public int HeldOut { get; init; }
    public int Correct { get; init; }
    /// <summary>Correct / held-out.</summary>
    public double Accuracy { get; init; }
    /// <summary>Share of held-out images answered by the part model (0 for full-only).</summary>
    public double PartShare { get; init; }
    /// <summary>Multiply-accumulates per answer: extractor stages run plus heads scored.</summary>
    public double MacsPerAnswer { get; init; }
    /// <summary>Weighted IL cost per answer (simple instruction = 1, call = 13), counted on the runtime.</summary>
    public double CostPerAnswer { get; init; }
    /// <summary>1 - CostPerAnswer / full-only CostPerAnswer (negative: dearer than full-only).</summary>
    public double Saving { get; init; }
    /// <summary>PROJECTED ESP32 time per answer (ms).</summary>
    public double ProjectedMilliseconds { get; init; }
    /// <summary>PROJECTED ESP32 energy per answer (mJ).</summary>
    public double ProjectedMillijoules { get; init; }
}

/// <summary>
/// The baseline beside the extractor's rows: the same head kind trained on the same shots,
/// but on the frames' raw pixels (at the model input size) instead of the extractor's features.
/// </summary>
public sealed class BaselineRow
{
    public const string RawPixels = "raw pixels";

    public string Task { get; init; }
    public string Head { get; init; }
    /// <summary>"raw pixels".</summary>
    public string Features { get; init; }
    public int FeatureLength { get; init; }
    public int HeldOut { get; init; }
    public int Correct { get; init; }
    public double Accuracy { get; init; }
    /// <summary>Multiply-accumulates of the head (no extractor runs).</summary>
    public long Macs { get; init; }
}

/// <summary>What was measured for one stage of the answer path, per image (mean over the cost sample).</summary>
public sealed record StageCost
{
    public string Stage { get; init; }
    public double Macs { get; init; }
    public double Instructions { get; init; }
    public double Calls { get; init; }
    public double Weighted { get; init; }
    public double Allocations { get; init; }
}

/// <summary>The whole experiment: settings, model facts, measured stage costs and the table.</summary>
public sealed class EvaluationResult
{
    public string Model { get; init; }
    /// <summary>Where the model came from and what that means for the numbers (e.g. random weights).</summary>
    public string ModelNote { get; init; }
    public long PartMacs { get; init; }
    public long FullMacs { get; init; }
    public int PartFeatureLength { get; init; }
    public int FullFeatureLength { get; init; }
    public int Shots { get; init; }
    public int Seed { get; init; }
    public int Folds { get; init; }
    public double[] Ratios { get; init; }
    /// <summary>The projection's constants, repeated so the files say what they assumed.</summary>
    public double MicrosecondsPerSimpleInstruction { get; init; }
    public double BoardPowerMilliwatts { get; init; }
    /// <summary>Per task and head: what answering at the part stage, at the full stage, and full-only costs.</summary>
    public List<TaskCosts> Costs { get; init; } = [];
    public List<ResultRow> Rows { get; init; } = [];
    /// <summary>Per task and head: the raw-pixel baseline.</summary>
    public List<BaselineRow> Baselines { get; init; } = [];
}

/// <summary>Measured cost of the three answer paths of one task and head.</summary>
public sealed class TaskCosts
{
    public string Task { get; init; }
    public string Head { get; init; }
    public int Samples { get; init; }
    /// <summary>Input + part model + part head, the part head confident.</summary>
    public StageCost PartAnswer { get; init; }
    /// <summary>Input + part model + part head + rest of the model + full head, the part head not confident.</summary>
    public StageCost FullAnswer { get; init; }
    /// <summary>Input + whole model + full head, no stage decision.</summary>
    public StageCost FullOnly { get; init; }
}

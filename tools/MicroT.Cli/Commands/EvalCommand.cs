using System.ComponentModel;
using System.Globalization;
using MicroT.Evaluation;
using MicroT.Runtime.Classifier;
using Spectre.Console.Cli;

namespace MicroT.Cli.Commands;

/// <summary>
/// `microt eval --task T [--task T2 ...]`: the MicroT experiment on local data with the
/// runtime's own code (tools/MicroT.Evaluation, docs/RESULTS.md).
/// </summary>
public sealed class EvalCommand : Command<EvalCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("-m|--model <FILE>")]
        [Description("The .mtm extractor (default: the zoo model, else the reference model with random weights).")]
        public string Model { get; set; }

        [CommandOption("-t|--task <TASK>")]
        [Description("fashion-mnist, mnist, emoji, georgian, armenian (after tools/fetch-data.sh --tasks), demo:fashion-mnist, demo:mnist, or a folder with one subfolder of images per class. Repeat for several tasks on one extractor.")]
        public string[] Tasks { get; set; } = [];

        [CommandOption("-k|--shots <K>")]
        [Description("Labelled training images per class (default 20).")]
        [DefaultValue(20)]
        public int Shots { get; set; } = 20;

        [CommandOption("--seed <SEED>")]
        [Description("Seeds the draw of the training images (default 1).")]
        [DefaultValue(1)]
        public int Seed { get; set; } = 1;

        [CommandOption("--held-out <N>")]
        [Description("At most N held-out images per class, the first ones (default 0 = all).")]
        [DefaultValue(0)]
        public int HeldOut { get; set; }

        [CommandOption("--head <KIND>")]
        [Description("logistic, ridge or both (default both).")]
        [DefaultValue("both")]
        public string Head { get; set; } = "both";

        [CommandOption("--ratios <LIST>")]
        [Description("Part-model ratios r to calibrate for, comma separated (default 0,0.25,0.5,0.75,1).")]
        public string Ratios { get; set; }

        [CommandOption("--folds <N>")]
        [Description("Folds of the out-of-fold threshold calibration of logistic heads (default 5; ridge heads use closed-form leave-one-out and ignore it).")]
        [DefaultValue(5)]
        public int Folds { get; set; } = 5;

        [CommandOption("--weights <KIND>")]
        [Description("Trained head weights: int8 (one scale per class, the runtime's default) or float (default int8).")]
        [DefaultValue("int8")]
        public string Weights { get; set; } = "int8";

        [CommandOption("-o|--output <DIR>")]
        [Description("Folder for results.csv, results.json and results.png (default artifacts/microt-results).")]
        [DefaultValue("artifacts/microt-results")]
        public string Output { get; set; } = "artifacts/microt-results";

        [CommandOption("--data <DIR>")]
        [Description("Where the fetched data sets are (default: $MICROT_DATA or the nearest .data/).")]
        public string Data { get; set; }
    }

    public override int Execute(CommandContext context, Settings s, CancellationToken cancellationToken)
    {
        Outputs.CheckFolder(s.Output, "-o"); // before the run, not after it
        var request = new EvalRequest
        {
            ModelPath = s.Model,
            Tasks = s.Tasks ?? [],
            Options = new ExperimentOptions
            {
                Shots = s.Shots, Seed = s.Seed, Folds = s.Folds, Heads = ParseHeads(s.Head),
                Ratios = s.Ratios == null ? new ExperimentOptions().Ratios : ParseRatios(s.Ratios),
                QuantizeWeights = s.Weights?.ToLowerInvariant() switch
                {
                    "int8" => true,
                    "float" => false,
                    _ => throw new EvaluationException($"--weights must be int8 or float, not '{s.Weights}'."),
                },
            },
            MaxHeldOutPerClass = s.HeldOut,
            OutputFolder = s.Output,
            DataRoot = s.Data,
        };
        EvalRunner.Run(request, Program.Console);
        return 0;
    }

    static HeadKind[] ParseHeads(string head) => head?.ToLowerInvariant() switch
    {
        "both" => [HeadKind.Logistic, HeadKind.Ridge],
        "logistic" => [HeadKind.Logistic],
        "ridge" => [HeadKind.Ridge],
        _ => throw new EvaluationException($"--head must be logistic, ridge or both, not '{head}'."),
    };

    static double[] ParseRatios(string list) => list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
        .Select(v => double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var r)
            ? r : throw new EvaluationException($"--ratios: '{v}' is not a number.")).ToArray();
}

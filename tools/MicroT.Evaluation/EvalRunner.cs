using MicroT.Runtime.Classifier;
using Spectre.Console;

namespace MicroT.Evaluation;

/// <summary>What `microt eval` (and `microt demo`) were asked to do.</summary>
public sealed class EvalRequest
{
    /// <summary>A .mtm file, or null for <see cref="DefaultModel"/>.</summary>
    public string ModelPath { get; init; }
    /// <summary>--task values (see <see cref="TaskLoader"/>).</summary>
    public string[] Tasks { get; init; } = [];
    public ExperimentOptions Options { get; init; } = new();
    /// <summary>Cap on held-out images per class (0 = all).</summary>
    public int MaxHeldOutPerClass { get; init; }
    /// <summary>Folder for results.csv, results.json and results.png.</summary>
    public string OutputFolder { get; init; } = "artifacts/microt-results";
    /// <summary>Where the fetched data sets are (null: MicroT.Data's default).</summary>
    public string DataRoot { get; init; }

    /// <summary>`microt demo`: the default model on the bundled subset of both data sets.</summary>
    public static EvalRequest Demo(string outputFolder, int seed = 1) => new()
    {
        Options = new ExperimentOptions { Seed = seed },
        Tasks = [TaskLoader.DemoPrefix + "fashion-mnist", TaskLoader.DemoPrefix + "mnist"],
        OutputFolder = outputFolder,
    };
}

/// <summary>
/// Runs a request with a progress display and prints the table; writes CSV, JSON and PNG.
/// User-fixable problems surface as <see cref="EvaluationException"/>.
/// </summary>
public static class EvalRunner
{
    public static EvaluationResult Run(EvalRequest request, IAnsiConsole console)
    {
        if (request.Tasks == null || request.Tasks.Length == 0)
            throw new EvaluationException("Give at least one --task (fashion-mnist, mnist, demo:fashion-mnist, demo:mnist, or a folder with one subfolder per class).");
        request.Options.Validate();
        var (file, name, note) = DefaultModel.Load(request.ModelPath);
        var model = Experiment.LoadModel(file, name);
        console.MarkupLineInterpolated($"[bold]model[/] {name}: input {model.InputWidth}x{model.InputHeight}x{model.InputChannels}, part {model.PartMacs:N0} MACs, full {model.FullMacs:N0} MACs");
        console.MarkupLineInterpolated($"[grey]{note}[/]");

        EvaluationResult result = null;
        var tasks = new List<EvaluationTask>();
        ConsoleProgress.Run(console, autoClear: false, Report =>
            {
                foreach (var spec in request.Tasks)
                {
                    Report($"loading {spec}", 0, 1);
                    tasks.Add(TaskLoader.Load(spec, model.InputWidth, model.InputHeight, request.Options.Shots, request.Options.Seed,
                        request.MaxHeldOutPerClass, request.DataRoot));
                    Report($"loading {spec}", 1, 1);
                }
                result = Experiment.Run(file, name, note, tasks, request.Options, (step, done, total) => Report(step, done, total));
            });

        console.Write(Table(result));
        console.MarkupLine("[grey]ms and mJ per answer are an ESP32 PROJECTION (docs/PERFORMANCE.md): weighted IL cost x " +
            $"{result.MicrosecondsPerSimpleInstruction} us x {result.BoardPowerMilliwatts} mW, not a board measurement.[/]");
        foreach (var path in ResultFiles.WriteAll(result, request.OutputFolder))
            console.MarkupLineInterpolated($"wrote [bold]{path}[/]");
        return result;
    }

    public static Table Table(EvaluationResult result)
    {
        var t = new Table().Title($"{result.Model}: {result.Shots} shots per class, seed {result.Seed}");
        foreach (var c in new[] { "task", "head", "setting" }) t.AddColumn(c);
        foreach (var c in new[] { "held-out", "accuracy", "part share", "MACs/answer", "IL cost/answer", "saving", "ms (proj.)", "mJ (proj.)" })
            t.AddColumn(new TableColumn(c).RightAligned());
        foreach (var group in result.Rows.GroupBy(r => (r.Task, r.Head)))
        {
            foreach (var r in group)
                t.AddRow(Markup.Escape(r.Task), r.Head, r.Setting, r.HeldOut.ToString("N0"), ResultFiles.Percent(r.Accuracy), ResultFiles.Percent(r.PartShare),
                    r.MacsPerAnswer.ToString("N0"), r.CostPerAnswer.ToString("N0"), ResultFiles.Percent(r.Saving),
                    r.ProjectedMilliseconds.ToString("F1"), r.ProjectedMillijoules.ToString("F2"));
            var b = ResultFiles.Baseline(result, group.Key.Task, group.Key.Head);
            if (b != null)
                t.AddRow(Markup.Escape(b.Task), b.Head, $"[grey]{b.Features} (baseline)[/]", b.HeldOut.ToString("N0"), $"[grey]{ResultFiles.Percent(b.Accuracy)}[/]",
                    "", $"[grey]{b.Macs:N0} (head)[/]", "", "", "", "");
        }
        return t;
    }
}

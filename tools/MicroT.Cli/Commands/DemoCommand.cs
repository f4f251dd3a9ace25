using System.ComponentModel;
using MicroT.Evaluation;
using Spectre.Console;
using Spectre.Console.Cli;

namespace MicroT.Cli.Commands;

/// <summary>
/// `microt demo`: the README's main job, no arguments needed: the default model on the subset of
/// Fashion-MNIST and MNIST bundled with the tool, two tasks on one extractor, table and plot.
/// `--make-data DIR` remakes the bundled subset from the fetched data sets.
/// </summary>
public sealed class DemoCommand : Command<DemoCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("-o|--output <DIR>")]
        [Description("Folder for results.csv, results.json and results.png (default artifacts/microt-demo, git-ignored).")]
        [DefaultValue("artifacts/microt-demo")]
        public string Output { get; set; } = "artifacts/microt-demo";

        [CommandOption("--seed <SEED>")]
        [Description("Seeds the draw of the training images (default 1).")]
        [DefaultValue(1)]
        public int Seed { get; set; } = 1;

        [CommandOption("--write <FILE>")]
        [Description("Also put the table and plot into the results section of FILE (docs/RESULTS.md).")]
        public string Write { get; set; }

        [CommandOption("--make-data <DIR>")]
        [Description("Instead of running: write the bundled subset (DemoData/*.mtd.gz) into DIR from the fetched data sets.")]
        public string MakeData { get; set; }
    }

    public override int Execute(CommandContext context, Settings s, CancellationToken cancellationToken)
    {
        var console = Program.Console;
        // Outputs first, so a bad path fails now and not after the run.
        if (s.MakeData != null) Outputs.CheckFolder(s.MakeData, "--make-data");
        else Outputs.CheckFolder(s.Output, "-o");
        if (s.Write != null)
        {
            if (!File.Exists(s.Write)) throw new CliException($"--write '{s.Write}' does not exist (it must be a Markdown file with a results section, e.g. docs/RESULTS.md).");
            var text = File.ReadAllText(s.Write);
            if (!text.Contains(ResultsDoc.Begin, StringComparison.Ordinal) || !text.Contains(ResultsDoc.End, StringComparison.Ordinal))
                throw new CliException($"--write '{s.Write}' has no {ResultsDoc.Begin} ... {ResultsDoc.End} section to fill.");
            Outputs.CheckFile(s.Write, force: true, "--write");
        }
        if (s.MakeData != null)
        {
            foreach (var file in DemoData.Make(s.MakeData))
                console.MarkupLineInterpolated($"wrote [bold]{file}[/] ({new FileInfo(file).Length:N0} bytes)");
            return 0;
        }
        var result = EvalRunner.Run(EvalRequest.Demo(s.Output, s.Seed), console);
        if (s.Write != null)
        {
            ResultsDoc.Write(result, s.Write, "dotnet run --project tools/MicroT.Cli -c Release -- demo" + (s.Seed != 1 ? $" --seed {s.Seed}" : ""));
            console.MarkupLineInterpolated($"wrote [bold]{s.Write}[/]");
        }
        return 0;
    }
}

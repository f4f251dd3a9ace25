using MicroT.Cli.Commands;
using Spectre.Console;
using Spectre.Console.Cli;

namespace MicroT.Cli;

/// <summary>
/// The `microt` command. Each command lives in its own file under Commands/ and is registered
/// here. Errors a user can fix (a bad model, a bad flag, a refused verification) print one
/// clear message and exit non-zero, never a stack trace (set MICROT_DEBUG=1 to see one).
/// </summary>
public static class Program
{
    public const int ExitError = 1, ExitUsage = 2;

    /// <summary>The console the running command writes to.</summary>
    internal static IAnsiConsole Console { get; private set; } = AnsiConsole.Console;

    public static int Main(string[] args)
    {
        var console = AnsiConsole.Console;
        // Redirected output (a log, CI) would otherwise wrap the tables at 80 columns.
        if (System.Console.IsOutputRedirected) console.Profile.Width = 200;
        return Run(args, console);
    }

    /// <summary>Runs the command line against <paramref name="console"/> (tests pass a recording console).</summary>
    public static int Run(string[] args, IAnsiConsole console)
    {
        Console = console;
        var app = new CommandApp();
        app.Configure(c =>
        {
            c.SetApplicationName("microt");
            c.ConfigureConsole(console);
            c.PropagateExceptions();
            c.AddCommand<ConvertCommand>("convert")
                .WithDescription("Convert a float ONNX feature extractor to a MicroT int8 model (.mtm): calibrate, quantize, split, verify.")
                .WithExample("convert", "extractor.onnx", "--calibration", "fashion-mnist", "--split", "auto", "-o", "extractor.mtm");
            c.AddCommand<InspectCommand>("inspect")
                .WithDescription("Print the layers of a .mtm model (op, shape, parameters, MACs, arena) and the part/full totals.")
                .WithExample("inspect", "extractor.mtm", "--json");
            c.AddCommand<DemoCommand>("demo")
                .WithDescription("The main job: the MicroT experiment on the bundled subset of Fashion-MNIST and MNIST with the default model (table, CSV, JSON, plot).")
                .WithExample("demo");
            c.AddCommand<EvalCommand>("eval")
                .WithDescription("The MicroT experiment on local data: few-shot heads, calibrated stage decision for r in 0..1 and full-only, accuracy and cost per answer.")
                .WithExample("eval", "--task", "fashion-mnist", "--task", "mnist", "--held-out", "200");
        });
        try
        {
            return app.Run(args);
        }
        catch (Exception e) when (Environment.GetEnvironmentVariable("MICROT_DEBUG") != "1")
        {
            return Report(console, e);
        }
    }

    static int Report(IAnsiConsole console, Exception e)
    {
        switch (e)
        {
            case CommandAppException:
                console.MarkupLineInterpolated($"[red]usage error:[/] {e.Message}");
                console.MarkupLine("Run [bold]microt --help[/] or [bold]microt <command> --help[/].");
                return ExitUsage;
            case Converter.ConversionException:
            case Evaluation.EvaluationException:
            case Runtime.Models.ModelFormatException:
            case IOException:
            case UnauthorizedAccessException:
                console.MarkupLineInterpolated($"[red]error:[/] {e.Message}");
                return ExitError;
            default:
                console.MarkupLineInterpolated($"[red]internal error ({e.GetType().Name}):[/] {e.Message}");
                console.MarkupLine("This is a bug in microt; rerun with MICROT_DEBUG=1 for the stack trace and report it.");
                return ExitError;
        }
    }
}

using System.Reflection;
using MicroT.Cli.Commands;
using Spectre.Console;

namespace MicroT.Cli;

/// <summary>
/// The `microt` command. Each command lives in its own file under Commands/ and is registered
/// here; <see cref="CommandLine"/> parses every command's options by the same rules. Errors a
/// user can fix (a bad model, a bad flag, a refused verification) print one clear line and exit
/// non-zero (2 for a command-line mistake, 1 otherwise), never a stack trace (set MICROT_DEBUG=1
/// to see one).
/// </summary>
public static class Program
{
    public const int ExitError = 1, ExitUsage = 2;

    /// <summary>The console the running command writes to.</summary>
    internal static IAnsiConsole Console { get; private set; } = AnsiConsole.Console;

    sealed record CommandInfo(string Name, Type Settings, string Description, string[] Examples, Func<object, int> Execute);

    static readonly CommandInfo[] Commands =
    {
        new("convert", typeof(ConvertCommand.Settings),
            "Convert a float ONNX feature extractor to a MicroT int8 model (.mtm): calibrate, quantize, split, verify.",
            ["convert extractor.onnx --calibration fashion-mnist --split auto -o extractor.mtm"],
            s => new ConvertCommand().Execute(null, (ConvertCommand.Settings)s, CancellationToken.None)),
        new("inspect", typeof(InspectCommand.Settings),
            "Print the layers of a .mtm model (op, shape, parameters, MACs, arena) and the part/full totals.",
            ["inspect extractor.mtm --json"],
            s => new InspectCommand().Execute(null, (InspectCommand.Settings)s, CancellationToken.None)),
        new("demo", typeof(DemoCommand.Settings),
            "The main job: the MicroT experiment on the bundled subset of Fashion-MNIST and MNIST with the default model (table, CSV, JSON, plot).",
            ["demo"],
            s => new DemoCommand().Execute(null, (DemoCommand.Settings)s, CancellationToken.None)),
        new("eval", typeof(EvalCommand.Settings),
            "The MicroT experiment on local data: few-shot heads, calibrated stage decision for r in 0..1 and full-only, accuracy and cost per answer.",
            ["eval --task fashion-mnist --task mnist --held-out 200"],
            s => new EvalCommand().Execute(null, (EvalCommand.Settings)s, CancellationToken.None)),
    };

    public static int Main(string[] args)
    {
        var console = AnsiConsole.Console;
        // Redirected output (a log, CI) would otherwise wrap the tables at 80 columns.
        if (System.Console.IsOutputRedirected) console.Profile.Width = 200;
        return Run(args, console);
    }

    /// <summary>The tool's version (the package version).</summary>
    public static string Version
    {
        get
        {
            var v = typeof(Program).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
            int plus = v.IndexOf('+');
            return plus < 0 ? v : v.Substring(0, plus);
        }
    }

    /// <summary>Runs the command line against <paramref name="console"/> (tests pass a recording console).</summary>
    public static int Run(string[] args, IAnsiConsole console)
    {
        Console = console;
        try
        {
            return Dispatch(args, console);
        }
        catch (Exception e) when (Environment.GetEnvironmentVariable("MICROT_DEBUG") != "1")
        {
            return Report(console, e, args.FirstOrDefault());
        }
    }

    static int Dispatch(string[] args, IAnsiConsole console)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            console.Write(new Text(GeneralHelp()));
            return 0;
        }
        if (args[0] == "--version")
        {
            console.WriteLine("microt " + Version);
            return 0;
        }
        var command = Commands.FirstOrDefault(c => c.Name == args[0]);
        if (command == null)
            throw new UsageException(args[0].StartsWith('-')
                ? $"unknown option '{args[0]}'; options go after the command (microt <command> [OPTIONS]), besides --help and --version."
                : $"unknown command '{args[0]}'. Commands: {string.Join(", ", Commands.Select(c => c.Name))}.");
        var rest = args.Skip(1).ToArray();
        if (CommandLine.WantsHelp(rest))
        {
            console.Write(new Text(CommandLine.Help(command.Name, command.Settings, command.Description, command.Examples)));
            return 0;
        }
        return command.Execute(CommandLine.Parse(command.Settings, command.Name, rest));
    }

    static string GeneralHelp()
    {
        var sb = new System.Text.StringBuilder();
        sb.AppendLine($"microt {Version}: MicroT int8 models for nanoFramework (convert, inspect) and the MicroT experiment (demo, eval).");
        sb.AppendLine().AppendLine("Usage: microt <command> [ARGUMENTS] [OPTIONS]").AppendLine().AppendLine("Commands:");
        foreach (var c in Commands) sb.AppendLine("  " + c.Name.PadRight(10) + c.Description);
        sb.AppendLine().AppendLine("Options:");
        sb.AppendLine("  --version   Print the version.");
        sb.AppendLine("  -h, --help  Print this help; `microt <command> --help` prints a command's options.");
        return sb.ToString();
    }

    static int Report(IAnsiConsole console, Exception e, string command)
    {
        switch (e)
        {
            case UsageException:
                console.MarkupLineInterpolated($"[red]usage error:[/] {e.Message}");
                console.MarkupLineInterpolated($"Run [bold]microt {(Commands.Any(c => c.Name == command) ? command + " " : "")}--help[/] for the options.");
                return ExitUsage;
            case CliException:
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

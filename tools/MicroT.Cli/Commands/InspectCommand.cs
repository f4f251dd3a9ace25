using System.ComponentModel;
using MicroT.Runtime.Models;
using Spectre.Console;
using Spectre.Console.Cli;

namespace MicroT.Cli.Commands;

/// <summary>`microt inspect model.mtm [--json]`: the layers of a model as the runtime loads it.</summary>
public sealed class InspectCommand : Command<InspectCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<model.mtm>")]
        [Description("A MicroT model file.")]
        public string Model { get; set; }

        [CommandOption("--json")]
        [Description("Print JSON for machines instead of tables.")]
        public bool Json { get; set; }
    }

    public override int Execute(CommandContext context, Settings s, CancellationToken cancellationToken)
    {
        var console = Program.Console;
        if (Directory.Exists(s.Model)) throw new Converter.ConversionException($"'{s.Model}' is a folder; give a .mtm model file.");
        if (!File.Exists(s.Model)) throw new Converter.ConversionException($"model file '{s.Model}' does not exist.");
        var model = Model.Load(new ByteArraySource(File.ReadAllBytes(s.Model)), true); // keeps bias and scales for the parameter count
        var info = Converter.ModelInfo.From(model, Path.GetFileName(s.Model), new FileInfo(s.Model).Length);
        if (s.Json)
        {
            console.Profile.Out.Writer.WriteLine(info.ToJson());
            return 0;
        }
        console.MarkupLineInterpolated($"[bold]{info.Name}[/] ({info.File}, {info.FileBytes:N0} bytes): input {info.Input.Shape}, scale {info.Input.Scale:G4}, zero point {info.Input.ZeroPoint}; frames: real = pixel * {info.PixelScale:G4} + {info.PixelOffset:G4}, {info.ResizeMode} resize");
        var t = new Table().Border(TableBorder.Simple);
        t.AddColumns("#", "stage", "op", "window", "input", "output", "params", "MACs", "arena offset", "arena size", "activation");
        foreach (var l in info.Layers)
            t.AddRow(l.Index.ToString(), l.Stage, l.Op, l.Window, l.Input, l.Output, l.Parameters.ToString("N0"), l.Macs.ToString("N0"), l.ArenaOffset.ToString("N0"), l.ArenaSize.ToString("N0"), Markup.Escape(l.Activation));
        console.Write(t);
        var totals = new Table().Border(TableBorder.Simple).Title("totals");
        totals.AddColumns("", "operators", "parameters (bytes)", "MACs", "feature");
        totals.AddRow("part", info.Part.Operators.ToString(), info.Part.ParameterBytes.ToString("N0"), info.Part.Macs.ToString("N0"), info.Part.Feature);
        totals.AddRow("rest", info.Rest.Operators.ToString(), info.Rest.ParameterBytes.ToString("N0"), info.Rest.Macs.ToString("N0"), "");
        totals.AddRow("full", info.Full.Operators.ToString(), info.Full.ParameterBytes.ToString("N0"), info.Full.Macs.ToString("N0"), info.Full.Feature);
        console.Write(totals);
        console.MarkupLineInterpolated($"part/full MACs: {info.PartShareOfMacs:P1}; arena {info.ArenaBytes:N0} bytes (naive {info.NaiveArenaBytes:N0}); weights {info.WeightBytes:N0} bytes");
        WriteLayerCosts(console, File.ReadAllBytes(s.Model), info);
        return 0;
    }

    /// <summary>
    /// Per layer: MACs, weighted interpreter cost counted on a rewritten copy of the runtime (one
    /// seeded random input; weights as in docs/PERFORMANCE.md), share of the total, arena bytes.
    /// </summary>
    static void WriteLayerCosts(IAnsiConsole console, byte[] file, Converter.ModelInfo info)
    {
        var runtime = File.ReadAllBytes(typeof(Model).Assembly.Location);
        var context = new MicroT.Profiler.CountingLoadContext(MicroT.Profiler.Instrumenter.Instrument(runtime));
        IReadOnlyList<MicroT.Profiler.LayerCost> costs;
        try { costs = MicroT.Profiler.LayerProfiler.Measure(context, file, null, 0, 0); }
        finally { context.Unload(); }
        double total = Math.Max(1, costs.Sum(c => (double)c.Counts.Weighted));
        var t = new Table().Border(TableBorder.Simple)
            .Title($"cost per layer (interpreter, counted: simple IL instruction = {MicroT.Profiler.CostWeights.SimpleInstruction}, call = {MicroT.Profiler.CostWeights.Call})");
        t.AddColumns("#", "op", "MACs", "weighted IL", "weighted/MAC", "share", "arena bytes");
        foreach (var c in costs)
        {
            var l = info.Layers[c.Index];
            t.AddRow(c.Index.ToString(), l.Op, c.Macs.ToString("N0"), c.Counts.Weighted.ToString("N0"),
                c.Macs == 0 ? "" : c.WeightedPerMac.ToString("0.00"), (c.Counts.Weighted / total).ToString("P1"), l.ArenaSize.ToString("N0"));
        }
        t.AddRow("", "total", costs.Sum(c => c.Macs).ToString("N0"), costs.Sum(c => c.Counts.Weighted).ToString("N0"),
            (costs.Sum(c => (double)c.Counts.Weighted) / Math.Max(1, costs.Sum(c => c.Macs))).ToString("0.00"), "100.0%", info.ArenaBytes.ToString("N0"));
        console.Write(t);
    }
}

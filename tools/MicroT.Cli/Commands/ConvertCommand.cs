using System.ComponentModel;
using System.Globalization;
using MicroT.Converter;
using Spectre.Console;
using Spectre.Console.Cli;

namespace MicroT.Cli.Commands;

/// <summary>`microt convert model.onnx --calibration SOURCE [--split NODE|auto] -o model.mtm`.</summary>
public sealed class ConvertCommand : Command<ConvertCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<model.onnx>")]
        [Description("Float ONNX model (opset 11-17), one image input [1,C,H,W] with C = 1 or 3.")]
        public string Model { get; set; }

        [CommandOption("-o|--output <FILE>")]
        [Description("The .mtm file to write (default: the model's name with .mtm).")]
        public string Output { get; set; }

        [CommandOption("--force")]
        [Description("Overwrite the output file if it exists (without it, an existing file is never replaced).")]
        public bool Force { get; set; }

        [CommandOption("-c|--calibration <SOURCE>")]
        [Description("Calibration images: a folder of PNG/JPEG files, fashion-mnist, mnist, or random (seeded noise; for tests only).")]
        public string Calibration { get; set; }

        [CommandOption("--calibration-count <N>")]
        [Description("How many calibration images to use (spread evenly over the source).")]
        [DefaultValue(64)]
        public int CalibrationCount { get; set; }

        [CommandOption("--range <METHOD>")]
        [Description("Activation range from calibration: minmax or percentile.")]
        [DefaultValue("minmax")]
        public string Range { get; set; }

        [CommandOption("--percentile <P>")]
        [Description("With --range percentile: keep this percentile of each activation (and 100-P at the low end).")]
        [DefaultValue(99.99)]
        public double Percentile { get; set; }

        [CommandOption("--split <NODE>")]
        [Description("Where the part model ends: an ONNX node name (a block boundary) or auto.")]
        [DefaultValue("auto")]
        public string Split { get; set; }

        [CommandOption("--max-part-share <SHARE>")]
        [Description("With --split auto: the latest block boundary whose part model costs at most this share of the full model's MACs.")]
        [DefaultValue(0.5)]
        public double MaxPartShare { get; set; }

        [CommandOption("--input-range <LOW,HIGH>")]
        [Description("The model's input value for pixel 0 and pixel 255, e.g. 0,1 (pixel/255) or -1,1.")]
        [DefaultValue("0,1")]
        public string InputRange { get; set; }

        [CommandOption("--resize <MODE>")]
        [Description("How the device resizes frames to the input: bilinear or nearest.")]
        [DefaultValue("bilinear")]
        public string Resize { get; set; }

        [CommandOption("--min-cosine <C>")]
        [Description("Refuse to write the model when a stage's mean cosine similarity float vs int8 is below this.")]
        [DefaultValue(0.98)]
        public double MinCosine { get; set; }

        [CommandOption("--per-layer")]
        [Description("Also print the float vs int8 agreement of every layer's output (printed anyway when verification fails).")]
        public bool PerLayer { get; set; }

        [CommandOption("--name <NAME>")]
        [Description("Model name stored in the file (1-32 printable ASCII characters; default: the file name).")]
        public string Name { get; set; }

        [CommandOption("--self-test <N>")]
        [Description("Embed the first N calibration frames (0-64) with their part and full features as the file's self-test (docs/FORMAT.md); the device checks it with Interpreter.SelfTest.")]
        [DefaultValue(0)]
        public int SelfTest { get; set; }

        [CommandOption("--seed <N>")]
        [Description("Seed for --calibration random.")]
        [DefaultValue(1)]
        public int Seed { get; set; }

        public ConvertOptions ToOptions()
        {
            var o = new ConvertOptions
            {
                Calibration = Calibration,
                CalibrationCount = CalibrationCount,
                Percentile = Percentile,
                Split = Split,
                MaxPartShare = MaxPartShare,
                MinCosine = MinCosine,
                Name = Name,
                Seed = Seed,
            };
            o.Range = Range?.ToLowerInvariant() switch
            {
                "minmax" => RangeMethod.MinMax,
                "percentile" => RangeMethod.Percentile,
                _ => throw new ConversionException($"--range '{Range}' is unknown; use minmax or percentile."),
            };
            o.BilinearResize = Resize?.ToLowerInvariant() switch
            {
                "bilinear" => true,
                "nearest" => false,
                _ => throw new ConversionException($"--resize '{Resize}' is unknown; use bilinear or nearest."),
            };
            var parts = (InputRange ?? "").Split(',');
            if (parts.Length != 2 || !float.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out o.InputLow)
                || !float.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out o.InputHigh))
                throw new ConversionException($"--input-range '{InputRange}' must be two numbers LOW,HIGH (the input value of pixel 0 and pixel 255), e.g. 0,1.");
            return o;
        }
    }

    public override int Execute(CommandContext context, Settings s, CancellationToken cancellationToken)
    {
        var console = Program.Console;
        return Run(console, s);
    }

    internal static int Run(IAnsiConsole console, Settings s)
    {
        if (string.IsNullOrEmpty(s.Calibration))
            throw new ConversionException("--calibration is required: a folder of PNG/JPEG images, fashion-mnist, mnist, or random.");
        var options = s.ToOptions();
        var output = s.Output ?? Path.ChangeExtension(s.Model, ".mtm");
        if (!File.Exists(s.Model) && !Directory.Exists(s.Model)) throw new ConversionException($"ONNX file '{s.Model}' does not exist.");
        if (Directory.Exists(s.Model)) throw new ConversionException($"'{s.Model}' is a folder, not an ONNX file.");
        // Before the work: the output must be writable, and an existing file is only replaced with --force.
        bool replaces = Outputs.CheckFile(output, s.Force, "-o");
        var graph = OnnxImporter.Load(s.Model);
        console.MarkupLineInterpolated($"[bold]{graph.Name}[/]: input {Text(graph.InputShape)} (NHWC), {graph.Layers.Count} layers after fusion");

        ConversionResult result = null;
        Evaluation.ConsoleProgress.Run(console, autoClear: true, report => result = ModelConverter.Prepare(graph, options, report));
        var q = result.Model;
        console.Write(LayerTable(result));
        console.MarkupLineInterpolated($"split after [bold]{q.Layers[q.SplitLayer].Source.Name}[/]: part {q.PartMacs:N0} MACs = {(double)q.PartMacs / q.FullMacs:P1} of full {q.FullMacs:N0} MACs ({(q.PartHeadLayers > 0 ? "the layers above, the model's part head included" : "the layers above plus the part feature pool")})");

        bool ok = false;
        try { ModelConverter.WriteAndVerify(result, options); ok = true; }
        finally
        {
            if (result.Verification != null)
            {
                if (s.PerLayer || !ok) console.Write(LayerAgreementTable(result.Verification));
                console.Write(VerificationTable(result.Verification));
            }
        }
        var file = result.File;
        if (s.SelfTest < 0 || s.SelfTest > MicroT.Runtime.Models.ModelFormat.MaxSelfTestFrames)
            throw new ConversionException($"--self-test {s.SelfTest} must be 0..{MicroT.Runtime.Models.ModelFormat.MaxSelfTestFrames}.");
        if (s.SelfTest > 0)
            file = MicroT.ModelWriter.SelfTestWriter.Embed(file, graph.InputShape[3] == 1 ? MicroT.Runtime.Models.FrameFormat.Gray8 : MicroT.Runtime.Models.FrameFormat.Rgb888,
                graph.InputShape[2], graph.InputShape[1], result.Frames.Take(s.SelfTest).ToList());
        if (File.Exists(output) && !s.Force) throw new CliException($"'{output}' appeared while converting; nothing was written. Give another -o or add --force.");
        File.WriteAllBytes(output, file);
        console.MarkupLineInterpolated($"[green]{(replaces ? "overwrote" : "wrote")}[/] {output} ({file.Length:N0} bytes, model '{MtmEmitter.FileName(q.Name)}')");
        return 0;
    }

    static string Text(int[] shape) => string.Join("x", shape);

    static Table LayerTable(ConversionResult r)
    {
        var t = new Table().Border(TableBorder.Simple).Title("layers");
        t.AddColumns("#", "layer", "kind", "fused", "output", "scale", "zp", "MACs");
        var q = r.Model;
        for (int i = 0; i < q.Layers.Count; i++)
        {
            var l = q.Layers[i];
            var o = q.Tensors[l.Output];
            t.AddRow(i.ToString(), Markup.Escape(l.Source.Name), l.Kind.ToString(), Markup.Escape(string.Join(", ", l.Source.FusedNodes.Select(f => f[(f.LastIndexOf('(') + 1)..^1])) + (l.Source.Note == null ? "" : " [" + l.Source.Note + "]")),
                Text(o.Shape), o.Scale.ToString("G4", CultureInfo.InvariantCulture), o.ZeroPoint.ToString(), l.Source.Macs.ToString("N0"));
            if (i == q.SplitLayer && q.PartHeadLayers > 0)
                t.AddRow("", "[yellow]── split ──[/]", "", $"[yellow]the rest resumes from the row above; the next {q.PartHeadLayers} row(s) (the model's part head) write the part feature[/]", "", "", "", "");
            else if (i == q.SplitLayer)
                t.AddRow("", "[yellow]── split ──[/]", "GlobalAveragePool", "[yellow]part feature = GAP of the row above[/]", Text(q.PartFeature.Shape),
                    q.PartFeature.Scale.ToString("G4", CultureInfo.InvariantCulture), q.PartFeature.ZeroPoint.ToString(), l.Source.OutputElements.ToString("N0"));
        }
        return t;
    }

    static Table VerificationTable(VerificationReport report)
    {
        var t = new Table().Border(TableBorder.Simple).Title($"verification on {report.Samples} calibration frames: float (ONNX Runtime) vs int8 (MicroT runtime)");
        t.AddColumns("stage", "features", "mean cosine", "min cosine", "max |error|", "max error (LSB)", "RMS error", "RMS error / RMS feature");
        foreach (var s in report.Stages)
            t.AddRow(s.Stage, s.Length.ToString(), s.MeanCosine.ToString("F4"), s.MinCosine.ToString("F4"), s.MaxAbsError.ToString("G3"),
                s.MaxErrorLsb.ToString("F1"), s.RmsError.ToString("G3"), s.RelativeError.ToString("P2"));
        return t;
    }

    static Table LayerAgreementTable(VerificationReport report)
    {
        var t = new Table().Border(TableBorder.Simple).Title("per layer: float (ONNX Runtime) vs int8 (MicroT runtime)");
        t.AddColumns("#", "layer output", "values", "mean cosine", "min cosine", "max error (LSB)", "RMS error / RMS value");
        for (int i = 0; i < report.Layers.Count; i++)
        {
            var s = report.Layers[i];
            t.AddRow(i.ToString(), Markup.Escape(s.Stage), s.Length.ToString(), s.MeanCosine.ToString("F4"), s.MinCosine.ToString("F4"),
                s.MaxErrorLsb.ToString("F1"), s.RelativeError.ToString("P2"));
        }
        return t;
    }
}

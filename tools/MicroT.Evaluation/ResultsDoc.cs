using System.Globalization;
using System.Text;

namespace MicroT.Evaluation;

/// <summary>
/// Writes a result into a markdown document (docs/RESULTS.md) between
/// <c>&lt;!-- results:begin --&gt;</c> and <c>&lt;!-- results:end --&gt;</c>, with the plot
/// saved beside it, so the document always shows what the command printed.
/// </summary>
public static class ResultsDoc
{
    public const string Begin = "<!-- results:begin -->", End = "<!-- results:end -->";

    public static string Section(EvaluationResult result, string command, string plotFileName)
    {
        var inv = CultureInfo.InvariantCulture;
        var s = new StringBuilder();
        s.Append($"Made by `{command}`. Model: **{result.Model}** (part {result.PartMacs.ToString("N0", inv)} MACs, full {result.FullMacs.ToString("N0", inv)} MACs, " +
                 $"part/full {(100.0 * result.PartMacs / result.FullMacs).ToString("F1", inv)}%). {result.ModelNote}\n\n");
        s.Append($"{result.Shots} training images per class (seed {result.Seed}), thresholds calibrated on them (ridge: closed-form leave-one-out, residuals scaled to a new sample's; logistic: {result.Folds}-fold out of fold); " +
                 "accuracy and part share on the held-out images. ms and mJ are an ESP32 PROJECTION " +
                 $"({result.MicrosecondsPerSimpleInstruction.ToString(inv)} us per simple IL instruction, {result.BoardPowerMilliwatts.ToString(inv)} mW; docs/PERFORMANCE.md), not a measurement.\n\n");
        s.Append(ResultFiles.Markdown(result));
        s.Append("\nCounted cost of each answer path (mean per image over the first held-out images; weighted IL: simple instruction 1, call 13):\n\n");
        s.Append("| task | head | path | MACs | IL instructions | calls | weighted IL | allocations |\n|---|---|---|---:|---:|---:|---:|---:|\n");
        foreach (var c in result.Costs)
            foreach (var p in new[] { c.PartAnswer, c.FullAnswer, c.FullOnly })
                s.Append($"| {c.Task} | {c.Head} | {p.Stage} | {p.Macs.ToString("N0", inv)} | {p.Instructions.ToString("N0", inv)} | {p.Calls.ToString("N0", inv)} | {p.Weighted.ToString("N0", inv)} | {p.Allocations.ToString("N0", inv)} |\n");
        s.Append($"\n![accuracy against projected energy per answer]({plotFileName})\n");
        s.Append("\nBeside the MicroT paper's headline figures (arXiv 2403.08040 v1 abstract; their numbers are measured energy on STM32 boards with a trained, jointly optimized extractor; ours are counted IL cost on this runtime):\n\n");
        s.Append("| quantity | MicroT paper | this run (mean over tasks and heads) |\n|---|---:|---:|\n");
        double Mean(Func<ResultRow, bool> which, Func<ResultRow, double> what)
        {
            var rows = result.Rows.Where(which).ToArray();
            return rows.Length == 0 ? double.NaN : rows.Average(what);
        }
        double partOverFull = result.Costs.Count == 0 ? double.NaN : result.Costs.Average(c => c.PartAnswer.Weighted / c.FullOnly.Weighted);
        s.Append($"| part-model answer cost / full-model cost | ~71% (energy) | {ResultFiles.Percent(partOverFull)} (weighted IL) |\n");
        s.Append($"| saving vs full-only at r = 1 | 29.13% | {ResultFiles.Percent(Mean(r => r.TargetRatio == 1, r => r.Saving))} |\n");
        s.Append($"| saving vs full-only at r = 0.5 | 14.47% | {ResultFiles.Percent(Mean(r => r.TargetRatio == 0.5, r => r.Saving))} |\n");
        s.Append($"| part share at r = 0.5 (held-out) | 50% by construction | {ResultFiles.Percent(Mean(r => r.TargetRatio == 0.5, r => r.PartShare))} |\n");
        double delta = Mean(r => r.TargetRatio == 0.5, r => r.Accuracy) - Mean(r => r.Setting == ResultRow.FullOnly, r => r.Accuracy);
        s.Append($"| accuracy at r = 0.5 minus full-only | (not reported) | {(100 * delta).ToString("+0.0;-0.0", inv)} points |\n");
        s.Append("| accuracy gain of joint training over the unoptimized extractor at r = 0.5 | +5.91% | not measured here (needs the trained and the unoptimized zoo models) |\n");
        return s.ToString();
    }

    /// <summary>Replaces the marked section of <paramref name="doc"/> and saves the plot next to it.</summary>
    public static void Write(EvaluationResult result, string doc, string command)
    {
        if (!File.Exists(doc)) throw new EvaluationException($"{Path.GetFullPath(doc)} does not exist.");
        string text = File.ReadAllText(doc);
        int b = text.IndexOf(Begin, StringComparison.Ordinal), e = text.IndexOf(End, StringComparison.Ordinal);
        if (b < 0 || e < b) throw new EvaluationException($"{doc} has no {Begin} ... {End} section.");
        string plot = Path.GetFileNameWithoutExtension(doc).ToLowerInvariant() + ".png";
        ResultPlot.Save(result, Path.Combine(Path.GetDirectoryName(Path.GetFullPath(doc))!, plot));
        File.WriteAllText(doc, text[..(b + Begin.Length)] + "\n" + Section(result, command, plot) + text[e..]);
    }
}

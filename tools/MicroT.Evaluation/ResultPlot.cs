using ScottPlot;

namespace MicroT.Evaluation;

/// <summary>
/// Accuracy against projected ESP32 energy per answer: one line per task and head, one point
/// per ratio r (labelled), the full-model-only point marked with a large open square.
/// </summary>
public static class ResultPlot
{
    public const int Width = 1000, Height = 650;

    public static void Save(EvaluationResult result, string file)
    {
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        int series = 0;
        foreach (var group in result.Rows.GroupBy(r => (r.Task, r.Head)))
        {
            var color = palette.GetColor(series++);
            var staged = group.Where(r => r.TargetRatio.HasValue).OrderBy(r => r.TargetRatio).ToArray();
            var line = plot.Add.Scatter(staged.Select(r => r.ProjectedMillijoules).ToArray(), staged.Select(r => 100 * r.Accuracy).ToArray(), color);
            line.LegendText = $"{group.Key.Task}, {group.Key.Head}";
            line.MarkerSize = 8;
            foreach (var r in staged)
            {
                var label = plot.Add.Text($"r={r.TargetRatio:0.##}", r.ProjectedMillijoules, 100 * r.Accuracy);
                label.LabelFontSize = 11;
                label.LabelFontColor = color;
                label.LabelAlignment = Alignment.LowerLeft;
                label.OffsetX = 7;
                label.OffsetY = -5;
            }
            foreach (var r in group.Where(r => !r.TargetRatio.HasValue))
            {
                var m = plot.Add.Marker(r.ProjectedMillijoules, 100 * r.Accuracy, MarkerShape.OpenSquare, 16, color);
                m.LegendText = $"{group.Key.Task}, {group.Key.Head}: full-only";
            }
        }
        plot.Title($"MicroT staged inference: {result.Model} ({result.Shots} shots per class)");
        plot.XLabel("energy per answer, mJ (ESP32 PROJECTION from counted IL cost)");
        plot.YLabel("held-out accuracy, %");
        plot.ShowLegend(Alignment.LowerRight);
        plot.SavePng(file, Width, Height);
    }
}

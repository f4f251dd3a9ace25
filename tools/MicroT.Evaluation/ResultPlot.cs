using ScottPlot;

namespace MicroT.Evaluation;

/// <summary>
/// Accuracy against projected ESP32 energy per answer: one line per task and head, one point
/// per ratio r (labelled), the full-model-only point marked with a large open square, and the
/// raw-pixel baseline of the same task and head as a dashed horizontal line. The legend sits
/// outside the data area (right), and each point label is placed where it overlaps no other
/// label and no point (<see cref="LabelPlacer"/>).
/// </summary>
public static class ResultPlot
{
    public const int Width = 1200, Height = 650;
    /// <summary>Pixels the legend and the axes take from the figure (for placing labels).</summary>
    const int LegendWidth = 330, AxesLeft = 70, AxesRight = 20, AxesTop = 45, AxesBottom = 60;

    public static void Save(EvaluationResult result, string file)
    {
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        var points = result.Rows.Select(r => (X: r.ProjectedMillijoules, Y: 100 * r.Accuracy)).ToList();
        var ys = points.Select(p => p.Y).Concat(result.Baselines.Select(b => 100 * b.Accuracy)).ToArray();
        double x0 = points.Count == 0 ? 0 : points.Min(p => p.X), x1 = points.Count == 0 ? 1 : points.Max(p => p.X);
        double y0 = ys.Length == 0 ? 0 : ys.Min(), y1 = ys.Length == 0 ? 100 : ys.Max();
        double dx = Math.Max(x1 - x0, 1e-6), dy = Math.Max(y1 - y0, 1);
        // Room on the right and at the top for labels.
        var limits = new AxisLimits(x0 - 0.05 * dx, x1 + 0.18 * dx, y0 - 0.08 * dy, y1 + 0.10 * dy);
        var placer = new LabelPlacer(limits, Width - LegendWidth - AxesLeft - AxesRight, Height - AxesTop - AxesBottom);
        foreach (var p in points) placer.Occupy(p.X, p.Y, 8);

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
                string text = $"r={r.TargetRatio:0.##}";
                var (ox, oy) = placer.Place(r.ProjectedMillijoules, 100 * r.Accuracy, text.Length * 7 + 2, 14);
                var label = plot.Add.Text(text, r.ProjectedMillijoules, 100 * r.Accuracy);
                label.LabelFontSize = 11;
                label.LabelFontColor = color;
                label.LabelAlignment = Alignment.MiddleCenter;
                label.OffsetX = ox;
                label.OffsetY = oy;
            }
            foreach (var r in group.Where(r => !r.TargetRatio.HasValue))
            {
                var m = plot.Add.Marker(r.ProjectedMillijoules, 100 * r.Accuracy, MarkerShape.OpenSquare, 16, color);
                m.LegendText = $"{group.Key.Task}, {group.Key.Head}: full-only";
            }
            var b = ResultFiles.Baseline(result, group.Key.Task, group.Key.Head);
            if (b != null)
            {
                var h = plot.Add.HorizontalLine(100 * b.Accuracy, 1.5f, color, LinePattern.Dashed);
                h.LegendText = $"{group.Key.Task}, {group.Key.Head}: raw pixels";
            }
        }
        plot.Axes.SetLimits(limits);
        plot.Title($"MicroT staged inference: {result.Model} ({result.Shots} shots per class)");
        plot.XLabel("energy per answer, mJ (ESP32 PROJECTION from counted IL cost)");
        plot.YLabel("held-out accuracy, %");
        plot.ShowLegend(Edge.Right);
        plot.SavePng(file, Width, Height);
    }
}

/// <summary>
/// Greedy label placement in pixel space: each label takes the first candidate offset around
/// its point whose box overlaps no box taken so far (points and earlier labels); if none is
/// free, the one with the least overlap.
/// </summary>
public sealed class LabelPlacer
{
    readonly AxisLimits limits;
    readonly double width, height;
    readonly List<(double L, double T, double R, double B)> taken = [];

    public LabelPlacer(AxisLimits limits, double widthPixels, double heightPixels)
    {
        this.limits = limits;
        width = widthPixels;
        height = heightPixels;
    }

    /// <summary>Boxes placed so far (pixels: left, top, right, bottom).</summary>
    public IReadOnlyList<(double L, double T, double R, double B)> Taken => taken;

    (double X, double Y) Pixel(double x, double y) =>
        ((x - limits.Left) / (limits.Right - limits.Left) * width, (limits.Top - y) / (limits.Top - limits.Bottom) * height);

    /// <summary>Marks a square of side 2 x radius around a data point as taken.</summary>
    public void Occupy(double x, double y, double radius)
    {
        var (px, py) = Pixel(x, y);
        taken.Add((px - radius, py - radius, px + radius, py + radius));
    }

    /// <summary>Chooses the offset (pixels, y down) of a label's centre from its point; marks its box as taken.</summary>
    public (float X, float Y) Place(double x, double y, double labelWidth, double labelHeight)
    {
        var (px, py) = Pixel(x, y);
        double hw = labelWidth / 2, hh = labelHeight / 2, gap = 6;
        var candidates = new List<(double X, double Y)>();
        for (int ring = 0; ring < 4; ring++)
        {
            double d = ring * (labelHeight + 2);
            candidates.Add((gap + hw, -(gap + hh) - d));   // upper right
            candidates.Add((gap + hw, gap + hh + d));      // lower right
            candidates.Add((-(gap + hw), -(gap + hh) - d)); // upper left
            candidates.Add((-(gap + hw), gap + hh + d));   // lower left
            candidates.Add((0, -(gap + hh) - d));          // above
            candidates.Add((0, gap + hh + d));             // below
        }
        (double X, double Y) best = candidates[0];
        double bestOverlap = double.MaxValue;
        foreach (var c in candidates)
        {
            var box = (px + c.X - hw, py + c.Y - hh, px + c.X + hw, py + c.Y + hh);
            double overlap = taken.Sum(t => Overlap(box, t));
            if (overlap < bestOverlap)
            {
                best = c;
                bestOverlap = overlap;
                if (overlap == 0) break;
            }
        }
        taken.Add((px + best.X - hw, py + best.Y - hh, px + best.X + hw, py + best.Y + hh));
        return ((float)best.X, (float)best.Y);
    }

    public static double Overlap((double L, double T, double R, double B) a, (double L, double T, double R, double B) b)
    {
        double w = Math.Min(a.R, b.R) - Math.Max(a.L, b.L), h = Math.Min(a.B, b.B) - Math.Max(a.T, b.T);
        return w > 0 && h > 0 ? w * h : 0;
    }
}

using System.Globalization;
using System.Text;

namespace MicroT.Profiler;

/// <summary>Markdown tables of workload results (readable in a terminal and in docs/PERFORMANCE.md).</summary>
public static class Report
{
    static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>IL and weighted cost per MAC of each kernel shape, reference beside tuned (Variant Reference / Run).</summary>
    public static string Kernels(IReadOnlyList<WorkloadResult> results)
    {
        var sb = new StringBuilder();
        sb.AppendLine("| kernel, shape | MACs | Reference IL/MAC | Reference weighted/MAC | Run IL/MAC | Run weighted/MAC | goal weighted/MAC | Run calls | Run allocations |");
        sb.AppendLine("|---|---:|---:|---:|---:|---:|---|---:|---:|");
        foreach (var name in results.Select(r => r.Workload.Name).Distinct())
        {
            var reference = results.FirstOrDefault(r => r.Workload.Name == name && r.Workload.Variant == "Reference");
            var run = results.FirstOrDefault(r => r.Workload.Name == name && r.Workload.Variant == "Run");
            var any = reference ?? run!;
            sb.Append(Invariant, $"| {name} | {any.Workload.Macs:N0} ");
            sb.Append($"| {F(reference?.IlPerMac)} | {F(reference?.WeightedPerMac)} | {F(run?.IlPerMac)} | {F(run?.WeightedPerMac)} | {Goal(run)} ");
            sb.AppendLine($"| {N(run?.PerUnit(run.Profile.Total.Calls))} | {N(run?.PerUnit(run.Profile.Total.Allocations))} |");
        }
        return sb.ToString();
    }

    /// <summary>Per-unit totals of each workload with the ESP32 estimate.</summary>
    public static string Totals(IReadOnlyList<WorkloadResult> results)
    {
        var sb = new StringBuilder();
        sb.AppendLine("| workload | per | IL instructions | calls | allocations | weighted cost | MACs | weighted/MAC | ESP32 s (est.) | ESP32 J (est.) | host bytes allocated |");
        sb.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in results)
        {
            var t = r.Profile.Total;
            double weighted = r.PerUnit(t.Weighted);
            string per = r.Workload.Units == 1 ? "run" : $"1 of {r.Workload.Units}";
            sb.AppendLine($"| {Title(r.Workload)} | {per} | {N(r.PerUnit(t.Instructions))} | {N(r.PerUnit(t.Calls))} | {N(r.PerUnit(t.Allocations))} " +
                          $"| {N(weighted)} | {(r.Workload.Macs == 0 ? "" : N(r.Workload.Macs))} | {F(r.WeightedPerMac)} " +
                          $"| {G(Esp32Projection.Milliseconds((long)weighted) / 1000)} | {G(Esp32Projection.Millijoules((long)weighted) / 1000)} | {N(r.PerUnit(r.HostAllocatedBytes))} |");
        }
        return sb.ToString();
    }

    /// <summary>
    /// Per-operator cost (one frame): MACs, weighted cost, weighted per MAC and share of the model's
    /// total, plus the total row. <paramref name="names"/> gives each operator's label (e.g. shapes).
    /// </summary>
    public static string Layers(IReadOnlyList<LayerCost> layers, Func<int, string>? names = null)
    {
        var sb = new StringBuilder();
        sb.AppendLine("| # | operator | MACs | IL instructions | calls | weighted cost | weighted/MAC | share |");
        sb.AppendLine("|---:|---|---:|---:|---:|---:|---:|---:|");
        double total = Math.Max(1, layers.Sum(l => (double)l.Counts.Weighted));
        foreach (var l in layers)
            sb.AppendLine($"| {l.Index} | {(names == null ? l.Kind : names(l.Index))} | {(l.Macs == 0 ? "" : N(l.Macs))} | {N(l.Counts.Instructions)} | {N(l.Counts.Calls)} " +
                          $"| {N(l.Counts.Weighted)} | {F(l.WeightedPerMac)} | {(l.Counts.Weighted / total).ToString("P1", Invariant)} |");
        long macs = layers.Sum(l => l.Macs), weighted = layers.Sum(l => l.Counts.Weighted);
        sb.AppendLine($"| | total | {N(macs)} | {N(layers.Sum(l => l.Counts.Instructions))} | {N(layers.Sum(l => l.Counts.Calls))} | {N(weighted)} " +
                      $"| {F(macs == 0 ? double.NaN : (double)weighted / macs)} | 100.0 % |");
        return sb.ToString();
    }

    /// <summary>The dearest methods of one run (self cost, whole run, not per unit).</summary>
    public static string Methods(WorkloadResult result, int top)
    {
        var sb = new StringBuilder();
        sb.AppendLine($"{Title(result.Workload)}: top {top} methods by weighted self cost (whole run of {result.Workload.Units} unit(s))");
        sb.AppendLine();
        sb.AppendLine("| method | invocations | IL instructions | calls | allocations | weighted | share |");
        sb.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
        double total = Math.Max(1, result.Profile.Total.Weighted);
        foreach (var (method, c) in result.Profile.Methods.Take(top))
            sb.AppendLine($"| {method} | {N(c.Invocations)} | {N(c.Instructions)} | {N(c.Calls)} | {N(c.Allocations)} | {N(c.Weighted)} | {(c.Weighted / total).ToString("P1", Invariant)} |");
        return sb.ToString();
    }

    static string Goal(WorkloadResult? run)
    {
        if (run == null || double.IsNaN(run.Workload.WeightedPerMacGoal)) return "";
        double goal = run.Workload.WeightedPerMacGoal;
        return $"<= {goal.ToString("0.#", Invariant)}: {(run.WeightedPerMac <= goal ? "met" : "not met")}";
    }

    public static string Title(Workload w) => w.Variant.Length == 0 ? w.Name : $"{w.Name} ({w.Variant})";

    static string F(double? value) => value is null || double.IsNaN(value.Value) ? "" : value.Value.ToString("0.00", Invariant);

    // Three significant decimals for small values, thousands separators for large ones.
    static string G(double value) => value >= 100 ? value.ToString("N0", Invariant) : value.ToString("0.000", Invariant);

    static string N(double? value) => value is null ? "" :
        value.Value == Math.Floor(value.Value) ? value.Value.ToString("N0", Invariant) : value.Value.ToString("N1", Invariant);
}

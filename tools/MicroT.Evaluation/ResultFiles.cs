using System.Globalization;
using System.Text;
using System.Text.Json;

namespace MicroT.Evaluation;

/// <summary>
/// The experiment's outputs: CSV (one row per table line), JSON (everything, including the
/// stage costs and the projection's constants), a markdown table (docs/RESULTS.md) and the
/// PNG plot. Numbers are written with the invariant culture and fixed digits, so the same
/// result gives byte-identical files.
/// </summary>
public static class ResultFiles
{
    /// <summary>One line per table row; the raw-pixel baseline rows have setting "raw pixels" and no cost columns.</summary>
    public const string CsvHeader =
        "model,shots,seed,task,head,setting,target_ratio,threshold,held_out,correct,accuracy,part_share,macs_per_answer,il_cost_per_answer,saving_vs_full_only,projected_esp32_ms,projected_esp32_mj";

    static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    static string F(double v, int digits) => v.ToString("F" + digits, CultureInfo.InvariantCulture);
    static string F(double? v, int digits) => v.HasValue ? F(v.Value, digits) : "";

    public static string Csv(EvaluationResult result)
    {
        var s = new StringBuilder();
        s.Append(CsvHeader).Append('\n');
        string lead = string.Join(',', CsvField(result.Model), I(result.Shots), I(result.Seed));
        foreach (var r in result.Rows)
            s.Append(string.Join(',', lead, CsvField(r.Task), r.Head, r.Setting, F(r.TargetRatio, 2), F(r.Threshold, 6),
                I(r.HeldOut), I(r.Correct),
                F(r.Accuracy, 6), F(r.PartShare, 6), F(r.MacsPerAnswer, 1), F(r.CostPerAnswer, 1), F(r.Saving, 6),
                F(r.ProjectedMilliseconds, 3), F(r.ProjectedMillijoules, 4))).Append('\n');
        foreach (var b in result.Baselines)
            s.Append(string.Join(',', lead, CsvField(b.Task), b.Head, b.Features, "", "", I(b.HeldOut), I(b.Correct),
                F(b.Accuracy, 6), "", F((double)b.Macs, 1), "", "", "", "")).Append('\n');
        return s.ToString();
    }

    static string I(int v) => v.ToString(CultureInfo.InvariantCulture);

    /// <summary>A CSV field, quoted (RFC 4180) when it holds a comma, quote or line break.</summary>
    public static string CsvField(string v) =>
        v != null && v.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + v.Replace("\"", "\"\"") + "\"" : v ?? "";

    /// <summary>The raw-pixel baseline of a task and head, or null.</summary>
    public static BaselineRow Baseline(EvaluationResult result, string task, string head) =>
        result.Baselines.FirstOrDefault(b => b.Task == task && b.Head == head);

    public static string ToJson(EvaluationResult result) => JsonSerializer.Serialize(result, Json);

    public static EvaluationResult FromJson(string json) => JsonSerializer.Deserialize<EvaluationResult>(json, Json);

    /// <summary>Markdown table of the rows (docs/RESULTS.md).</summary>
    public static string Markdown(EvaluationResult result)
    {
        var s = new StringBuilder();
        s.Append("| task | head | setting | threshold | held-out | accuracy | part share | MACs/answer | IL cost/answer | saving vs full-only | ESP32 ms (projected) | ESP32 mJ (projected) |\n");
        s.Append("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        foreach (var group in result.Rows.GroupBy(r => (r.Task, r.Head)))
        {
            foreach (var r in group)
                s.Append($"| {r.Task} | {r.Head} | {r.Setting} | {F(r.Threshold, 3)} | {I(r.HeldOut)} | {Percent(r.Accuracy)} | {Percent(r.PartShare)} | " +
                         $"{r.MacsPerAnswer.ToString("N0", CultureInfo.InvariantCulture)} | {r.CostPerAnswer.ToString("N0", CultureInfo.InvariantCulture)} | " +
                         $"{Percent(r.Saving)} | {F(r.ProjectedMilliseconds, 1)} | {F(r.ProjectedMillijoules, 2)} |\n");
            var b = Baseline(result, group.Key.Task, group.Key.Head);
            if (b != null)
                s.Append($"| {b.Task} | {b.Head} | {b.Features} (baseline) | | {I(b.HeldOut)} | {Percent(b.Accuracy)} | | {b.Macs.ToString("N0", CultureInfo.InvariantCulture)} (head only) | | | | |\n");
        }
        return s.ToString();
    }

    public static string Percent(double v) => (100 * v).ToString("F1", CultureInfo.InvariantCulture) + "%";

    /// <summary>Writes results.csv, results.json and results.png into <paramref name="folder"/>; returns the paths.</summary>
    public static string[] WriteAll(EvaluationResult result, string folder)
    {
        Directory.CreateDirectory(folder);
        string csv = Path.Combine(folder, "results.csv"), json = Path.Combine(folder, "results.json"), png = Path.Combine(folder, "results.png");
        File.WriteAllText(csv, Csv(result));
        File.WriteAllText(json, ToJson(result));
        ResultPlot.Save(result, png);
        return [csv, json, png];
    }
}

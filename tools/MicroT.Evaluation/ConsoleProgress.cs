using Spectre.Console;

namespace MicroT.Evaluation;

/// <summary>
/// Progress of the tools' long steps. On a terminal: Spectre's live bars. Otherwise (a log, a
/// pipe, CI) live bars would leave lines stopped at random percentages, so each step prints plain
/// lines instead: at every quarter and when it is done ("calibrating: 64/64").
/// </summary>
public static class ConsoleProgress
{
    /// <summary>Runs <paramref name="body"/>, which reports (step, done, total) as it goes.</summary>
    public static void Run(IAnsiConsole console, bool autoClear, Action<Action<string, int, int>> body)
    {
        if (!console.Profile.Capabilities.Interactive)
        {
            var printed = new Dictionary<string, int>();
            body((step, done, total) =>
            {
                total = Math.Max(total, 1);
                int quarter = Math.Clamp(done, 0, total) * 4 / total;
                if (done <= 0 || (printed.TryGetValue(step, out int last) && last >= quarter) || (quarter == 0 && done < total)) return;
                printed[step] = quarter;
                console.WriteLine($"{step}: {Math.Min(done, total)}/{total}");
            });
            return;
        }
        console.Progress()
            .AutoClear(autoClear)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(ctx =>
            {
                var bars = new Dictionary<string, ProgressTask>();
                body((step, done, total) =>
                {
                    if (!bars.TryGetValue(step, out var bar))
                        bars[step] = bar = ctx.AddTask(Markup.Escape(step), maxValue: Math.Max(total, 1));
                    bar.MaxValue = Math.Max(total, 1);
                    bar.Value = done;
                });
            });
    }
}

using System.Text;
using MicroT.Profiler;

// The interpreter cost profiler. Rewrites a copy of MicroT.Runtime.dll with block counters,
// runs the workloads (Workloads/) against it in a CountingLoadContext and prints markdown
// tables; --write replaces the generated part of docs/PERFORMANCE.md.
// This file never touches runtime types itself: they would bind to the uncounted original.

const string Usage = """
    usage: dotnet run --project tools/MicroT.Profiler -c Release -- [group] [options]
      group              kernels | model | classifier | layers | all (default all)
                         layers: each operator of the zoo model on one frame (in all only without --filter)
      --methods N        also print the N dearest methods of each workload (self cost)
      --filter TEXT      only workloads whose name contains TEXT (case-insensitive)
      --write FILE       replace the text between <!-- profiler:begin --> and <!-- profiler:end --> in FILE
      --runtime PATH     the host build of the runtime to rewrite (default: the one next to this tool)
    """;

string group = "all", filter = "", write = null!;
string runtime = Path.Combine(AppContext.BaseDirectory, "MicroT.Runtime.dll");
int methods = 0;
for (int i = 0; i < args.Length; i++)
{
    string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.\n{Usage}");
    switch (args[i])
    {
        case "kernels" or "model" or "classifier" or "layers" or "all": group = args[i]; break;
        case "--methods": methods = int.Parse(Next()); break;
        case "--filter": filter = Next(); break;
        case "--write": write = Next(); break;
        case "--runtime": runtime = Path.GetFullPath(Next()); break;
        case "-h" or "--help" or "help": Console.WriteLine(Usage); return 0;
        default: Console.Error.WriteLine($"unknown argument '{args[i]}'\n{Usage}"); return 2;
    }
}

var instrumented = Instrumenter.Instrument(File.ReadAllBytes(runtime));
var context = new CountingLoadContext(instrumented, AppContext.BaseDirectory);
var workloads = group == "layers" ? [] : context.CreateWorkloads("MicroT.Profiler", "MicroT.Profiler.Workloads.WorkloadCatalog", group);
workloads = workloads.Where(w => w.Name.Contains(filter, StringComparison.OrdinalIgnoreCase)).ToList();

var results = new List<WorkloadResult>();
foreach (var w in workloads)
{
    w.Run(); // warm-up: static constructors and first-use setup stay out of the numbers
    var profile = context.Measure(w.Run, out long bytes);
    results.Add(new WorkloadResult(w, profile, bytes));
}

var text = new StringBuilder();
text.AppendLine($"Counted by tools/MicroT.Profiler on a rewritten copy of {Path.GetFileName(runtime)} " +
                $"({instrumented.Methods.Count} methods, {instrumented.Blocks.Count} counters). " +
                $"Weights: simple instruction = {CostWeights.SimpleInstruction}, call = {CostWeights.Call}. " +
                $"ESP32 columns are an ESTIMATE: {Esp32Projection.MicrosecondsPerSimpleInstruction} us per simple instruction, " +
                $"{Esp32Projection.BoardPowerMilliwatts} mW.");
text.AppendLine();
var kernels = results.Where(r => r.Workload.Group == "kernels").ToList();
if (kernels.Count > 0)
{
    text.AppendLine("### Kernels: IL instructions per MAC, reference vs tuned");
    text.AppendLine();
    text.AppendLine(Report.Kernels(kernels));
}
foreach (var g in results.Where(r => r.Workload.Group != "kernels").GroupBy(r => r.Workload.Group))
{
    text.AppendLine($"### {char.ToUpperInvariant(g.Key[0])}{g.Key[1..]}: cost per run");
    text.AppendLine();
    text.AppendLine(Report.Totals(g.ToList()));
}
if (group == "layers" || (group == "all" && filter.Length == 0))
{
    // Per operator of the zoo model, on its first frame (uncounted: input and the operators before it).
    var frames = MicroT.Profiler.Workloads.Inputs.Frames;
    var layers = LayerProfiler.Measure(context, MicroT.Profiler.Workloads.Inputs.ZooModelFile, frames.Images[0], frames.Width, frames.Height);
    text.AppendLine($"### Layers: cost of each operator of {MicroT.Profiler.Workloads.Inputs.ZooModel} (one frame)");
    text.AppendLine();
    text.AppendLine(Report.Layers(layers));
}
else if (results.Count == 0) text.AppendLine("(no workloads in this group yet)");
Console.Write(text);

if (methods > 0)
    foreach (var r in results) { Console.WriteLine(); Console.Write(Report.Methods(r, methods)); }

if (write != null)
{
    const string begin = "<!-- profiler:begin -->", end = "<!-- profiler:end -->";
    string doc = File.ReadAllText(write);
    int b = doc.IndexOf(begin, StringComparison.Ordinal), e = doc.IndexOf(end, StringComparison.Ordinal);
    if (b < 0 || e < b) { Console.Error.WriteLine($"{write} has no {begin} ... {end} section."); return 2; }
    File.WriteAllText(write, doc[..(b + begin.Length)] + "\n" + text + doc[e..]);
    Console.WriteLine($"wrote {write}");
}
return 0;

using System.Reflection;

namespace MicroT.Profiler;

/// <summary>What one operator of a model costs on one frame (counted, not estimated).</summary>
/// <param name="Index">Operator index in the model.</param>
/// <param name="Kind">Operator kind as the runtime names it (Conv2D, DepthwiseConv2D, ...).</param>
/// <param name="Macs">Multiply-accumulates the model file states for it.</param>
/// <param name="Counts">IL instructions, calls and allocations of Interpreter.Run(i, i + 1).</param>
public sealed record LayerCost(int Index, string Kind, long Macs, CostCounts Counts)
{
    public double WeightedPerMac => Macs == 0 ? double.NaN : (double)Counts.Weighted / Macs;
}

/// <summary>
/// Per-operator cost of a model: in a <see cref="CountingLoadContext"/> it loads the model with
/// the counting copy of the runtime, and for each operator i sets the input and runs operators
/// [0, i) uncounted, then counts <c>Interpreter.Run(i, i + 1)</c> (after one warm-up pass). Works
/// through reflection on the counting copy, so it runs the runtime's own code and nothing else.
/// </summary>
public static class LayerProfiler
{
    /// <summary>
    /// Measures every operator of <paramref name="modelFile"/> on one input: a Gray8 frame of
    /// <paramref name="width"/> x <paramref name="height"/> (preprocessed as the model prescribes),
    /// or, when <paramref name="grayFrame"/> is null, seeded random quantized input values.
    /// </summary>
    public static IReadOnlyList<LayerCost> Measure(CountingLoadContext context, byte[] modelFile, byte[]? grayFrame, int width, int height)
    {
        Assembly runtime = context.Counted;
        Type modelType = runtime.GetType("MicroT.Runtime.Models.Model", throwOnError: true)!;
        Type interpreterType = runtime.GetType("MicroT.Runtime.Models.Interpreter", throwOnError: true)!;
        object model = Invoke(modelType.GetMethod("Load", [typeof(byte[])])!, null, modelFile);
        object interpreter = Activator.CreateInstance(interpreterType, model)!;
        var operators = (Array)Member(model, "Operators");
        MethodInfo run = interpreterType.GetMethod("Run", [typeof(int), typeof(int)])!;
        Action setInput;
        if (grayFrame != null)
        {
            Type format = runtime.GetType("MicroT.Runtime.Models.FrameFormat", throwOnError: true)!;
            object gray8 = Enum.Parse(format, "Gray8");
            MethodInfo set = interpreterType.GetMethod("SetInput", [typeof(byte[]), format, typeof(int), typeof(int)])!;
            setInput = () => Invoke(set, interpreter, grayFrame, gray8, width, height);
        }
        else
        {
            int length = (int)Member(Member(model, "Input"), "Length");
            var values = new sbyte[length];
            var random = new Random(17);
            for (int i = 0; i < length; i++) values[i] = (sbyte)random.Next(-128, 128);
            MethodInfo set = interpreterType.GetMethod("SetInput", [typeof(sbyte[])])!;
            setInput = () => Invoke(set, interpreter, values);
        }

        var result = new List<LayerCost>();
        for (int i = 0; i < operators.Length; i++)
        {
            object op = operators.GetValue(i)!;
            int index = i;
            void Prefix()
            {
                setInput();
                if (index > 0) Invoke(run, interpreter, 0, index);
            }
            Prefix();
            Invoke(run, interpreter, index, index + 1); // warm-up
            Prefix();
            var profile = context.Measure(() => Invoke(run, interpreter, index, index + 1));
            result.Add(new LayerCost(i, Member(op, "Kind").ToString()!, Convert.ToInt64(Member(op, "Macs")), profile.Total));
        }
        return result;
    }

    static object Member(object target, string name)
    {
        var type = target.GetType();
        if (type.GetField(name) is { } f) return f.GetValue(target)!;
        if (type.GetProperty(name) is { } p) return p.GetValue(target)!;
        throw new MissingMemberException(type.FullName, name);
    }

    static object Invoke(MethodInfo method, object? target, params object?[] args)
    {
        try { return method.Invoke(target, args)!; }
        catch (TargetInvocationException e) when (e.InnerException != null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            throw;
        }
    }
}

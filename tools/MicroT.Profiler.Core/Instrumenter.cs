using Mono.Cecil;
using Mono.Cecil.Cil;
using Mono.Cecil.Rocks;

namespace MicroT.Profiler;

/// <summary>
/// Rewrites an assembly so that every basic block counts its executions: at the start of each
/// block it adds <c>BlockCounters.Hits[id]++</c> (stack-neutral), plus one extra counter at each
/// method's entry that counts invocations. The original instructions are untouched, so the
/// program computes what it computed before; the static facts of each block (instructions,
/// calls, allocations) go to <see cref="InstrumentedAssembly.Blocks"/>, and executed totals are
/// hits x those facts.
///
/// A block ends after every branch, return, throw and call, and a new one starts at every branch
/// target and exception-region boundary. Ending blocks after calls keeps counts exact when a
/// callee throws. Known imprecision: when an instruction itself throws mid-block (e.g. an index
/// out of range), the rest of that block is counted as executed; runtime code does not throw so.
/// </summary>
public static class Instrumenter
{
    public static InstrumentedAssembly Instrument(byte[] assembly)
    {
        var resolver = new DefaultAssemblyResolver();
        resolver.AddSearchDirectory(Path.GetDirectoryName(typeof(object).Assembly.Location)!);
        using var input = new MemoryStream(assembly);
        using var module = ModuleDefinition.ReadModule(input, new ReaderParameters { AssemblyResolver = resolver, ReadSymbols = false });

        var methods = new List<string>();
        var blocks = new List<BlockInfo>();
        var types = module.GetTypes().ToList();
        var hits = AddCountersType(module);

        foreach (var type in types)
        {
            foreach (var method in type.Methods)
            {
                if (!method.HasBody || method.Body.Instructions.Count == 0) continue;
                methods.Add(DisplayName(method));
                InstrumentMethod(method, methods.Count - 1, hits, blocks);
            }
        }

        AddCountersInitializer(module, hits, blocks.Count);
        using var output = new MemoryStream();
        module.Write(output);
        return new InstrumentedAssembly(module.Assembly.Name.Name, output.ToArray(), methods, blocks);
    }

    static FieldDefinition AddCountersType(ModuleDefinition module)
    {
        string name = InstrumentedAssembly.CountersTypeName;
        int dot = name.LastIndexOf('.');
        var type = new TypeDefinition(name[..dot], name[(dot + 1)..],
            TypeAttributes.Public | TypeAttributes.Abstract | TypeAttributes.Sealed | TypeAttributes.Class,
            module.TypeSystem.Object);
        var hits = new FieldDefinition(InstrumentedAssembly.HitsFieldName,
            FieldAttributes.Public | FieldAttributes.Static, new ArrayType(module.TypeSystem.Int64));
        type.Fields.Add(hits);
        module.Types.Add(type);
        return hits;
    }

    // static BlockCounters() { Hits = new long[count]; }
    static void AddCountersInitializer(ModuleDefinition module, FieldDefinition hits, int count)
    {
        var cctor = new MethodDefinition(".cctor",
            MethodAttributes.Private | MethodAttributes.Static | MethodAttributes.HideBySig |
            MethodAttributes.SpecialName | MethodAttributes.RTSpecialName,
            module.TypeSystem.Void);
        var il = cctor.Body.GetILProcessor();
        il.Emit(OpCodes.Ldc_I4, count);
        il.Emit(OpCodes.Newarr, module.TypeSystem.Int64);
        il.Emit(OpCodes.Stsfld, hits);
        il.Emit(OpCodes.Ret);
        hits.DeclaringType.Methods.Add(cctor);
    }

    static void InstrumentMethod(MethodDefinition method, int methodIndex, FieldDefinition hits, List<BlockInfo> blocks)
    {
        var body = method.Body;
        body.SimplifyMacros(); // long branch forms, so inserted code cannot overflow a short branch
        var instructions = body.Instructions.ToList();
        var leaders = FindLeaders(body, instructions);
        var il = body.GetILProcessor();

        for (int start = 0; start < instructions.Count;)
        {
            int end = start + 1;
            while (end < instructions.Count && !leaders.Contains(instructions[end])) end++;
            int calls = 0, allocations = 0;
            for (int i = start; i < end; i++)
            {
                if (IsCall(instructions[i])) calls++;
                if (IsAllocation(instructions[i])) allocations++;
            }
            blocks.Add(new BlockInfo(methodIndex, false, end - start, calls, allocations));
            CountAt(il, instructions[start], hits, blocks.Count - 1);
            start = end;
        }

        // The entry counter goes in front of everything; branches to the first instruction
        // (a loop at the top of the method) still reach that block's own counter, not this one.
        blocks.Add(new BlockInfo(methodIndex, true, 0, 0, 0));
        var first = body.Instructions[0];
        foreach (var ins in CounterCode(il, hits, blocks.Count - 1)) il.InsertBefore(first, ins);
        body.OptimizeMacros();
    }

    static HashSet<Instruction> FindLeaders(MethodBody body, List<Instruction> instructions)
    {
        var leaders = new HashSet<Instruction> { instructions[0] };
        for (int i = 0; i < instructions.Count; i++)
        {
            var ins = instructions[i];
            if (ins.Operand is Instruction target) leaders.Add(target);
            if (ins.Operand is Instruction[] targets) leaders.UnionWith(targets);
            bool endsBlock = ins.OpCode.FlowControl is FlowControl.Branch or FlowControl.Cond_Branch
                or FlowControl.Return or FlowControl.Throw or FlowControl.Call;
            if (endsBlock && i + 1 < instructions.Count) leaders.Add(instructions[i + 1]);
        }
        foreach (var handler in body.ExceptionHandlers)
        {
            leaders.Add(handler.TryStart);
            leaders.Add(handler.HandlerStart);
            if (handler.FilterStart != null) leaders.Add(handler.FilterStart);
            if (handler.TryEnd != null) leaders.Add(handler.TryEnd);
            if (handler.HandlerEnd != null) leaders.Add(handler.HandlerEnd);
        }
        return leaders;
    }

    // Puts the counter code at the start of the block while every branch, switch and exception
    // handler keeps pointing at the same Instruction object: the leader object becomes the first
    // counter instruction and its original opcode moves to a new instruction after the counter.
    static void CountAt(ILProcessor il, Instruction leader, FieldDefinition hits, int id)
    {
        var code = CounterCode(il, hits, id);
        var moved = il.Create(OpCodes.Nop);
        moved.OpCode = leader.OpCode;
        moved.Operand = leader.Operand;
        leader.OpCode = code[0].OpCode;
        leader.Operand = code[0].Operand;
        var after = leader;
        for (int i = 1; i < code.Length; i++) { il.InsertAfter(after, code[i]); after = code[i]; }
        il.InsertAfter(after, moved);
    }

    // Hits[id]++ : ldsfld Hits; ldc.i4 id; ldelema int64; dup; ldind.i8; ldc.i4.1; conv.i8; add; stind.i8
    static Instruction[] CounterCode(ILProcessor il, FieldDefinition hits, int id) =>
    [
        il.Create(OpCodes.Ldsfld, hits),
        il.Create(OpCodes.Ldc_I4, id),
        il.Create(OpCodes.Ldelema, hits.Module.TypeSystem.Int64),
        il.Create(OpCodes.Dup),
        il.Create(OpCodes.Ldind_I8),
        il.Create(OpCodes.Ldc_I4_1),
        il.Create(OpCodes.Conv_I8),
        il.Create(OpCodes.Add),
        il.Create(OpCodes.Stind_I8),
    ];

    static bool IsCall(Instruction ins) =>
        ins.OpCode.Code is Code.Call or Code.Callvirt or Code.Calli or Code.Newobj;

    static bool IsAllocation(Instruction ins) => ins.OpCode.Code switch
    {
        Code.Newarr or Code.Box => true,
        Code.Newobj => !IsValueType(((MethodReference)ins.Operand).DeclaringType),
        _ => false,
    };

    static bool IsValueType(TypeReference type)
    {
        try { return type.Resolve()?.IsValueType ?? type.IsValueType; }
        catch (AssemblyResolutionException) { return type.IsValueType; }
    }

    /// <summary>Type::Method, namespace dropped; overloads get their parameter types.</summary>
    static string DisplayName(MethodDefinition method)
    {
        var outer = method.DeclaringType;
        while (outer.DeclaringType != null) outer = outer.DeclaringType;
        string name = method.DeclaringType.FullName;
        string ns = outer.Namespace;
        if (ns.Length > 0 && name.StartsWith(ns + ".")) name = name[(ns.Length + 1)..];
        name += "::" + method.Name;
        if (method.DeclaringType.Methods.Count(m => m.Name == method.Name) > 1)
            name += "(" + string.Join(",", method.Parameters.Select(p => p.ParameterType.Name)) + ")";
        return name;
    }
}

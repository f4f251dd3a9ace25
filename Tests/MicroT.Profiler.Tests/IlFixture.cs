using Mono.Cecil;
using Mono.Cecil.Cil;

namespace MicroT.Profiler.Tests;

/// <summary>
/// A small assembly written instruction by instruction, so that every executed count in the
/// tests can be worked out by hand from the listings below (no compiler in between).
/// All methods are static members of Fixture.Methods.
/// </summary>
static class IlFixture
{
    public const string TypeName = "Fixture.Methods";

    static byte[] image;

    public static byte[] Image => image ??= Build();

    static byte[] Build()
    {
        var assembly = AssemblyDefinition.CreateAssembly(
            new AssemblyNameDefinition("ProfilerFixture", new Version(1, 0)), "ProfilerFixture", ModuleKind.Dll);
        var module = assembly.MainModule;
        var type = new TypeDefinition("Fixture", "Methods",
            TypeAttributes.Public | TypeAttributes.Abstract | TypeAttributes.Sealed, module.TypeSystem.Object);
        module.Types.Add(type);
        var int32 = module.TypeSystem.Int32;

        // StraightLine(a, b) = (a + b) * 3: 6 instructions, one block.
        var straight = Method(type, "StraightLine", int32, int32, int32);
        Emit(straight, il =>
        {
            il.Emit(OpCodes.Ldarg_0);
            il.Emit(OpCodes.Ldarg_1);
            il.Emit(OpCodes.Add);
            il.Emit(OpCodes.Ldc_I4_3);
            il.Emit(OpCodes.Mul);
            il.Emit(OpCodes.Ret);
        });

        // Sum(n) = 0 + 1 + .. + (n-1). 5 setup + 8 per body + 3 per condition test (n + 1 times) + 2 exit
        //        = 10 + 11 n instructions.
        var sum = Method(type, "Sum", int32, int32);
        sum.Body.Variables.Add(new VariableDefinition(int32)); // sum
        sum.Body.Variables.Add(new VariableDefinition(int32)); // i
        Emit(sum, il =>
        {
            var body = il.Create(OpCodes.Ldloc_0);
            var condition = il.Create(OpCodes.Ldloc_1);
            il.Emit(OpCodes.Ldc_I4_0); il.Emit(OpCodes.Stloc_0);
            il.Emit(OpCodes.Ldc_I4_0); il.Emit(OpCodes.Stloc_1);
            il.Emit(OpCodes.Br, condition);
            il.Append(body); il.Emit(OpCodes.Ldloc_1); il.Emit(OpCodes.Add); il.Emit(OpCodes.Stloc_0);
            il.Emit(OpCodes.Ldloc_1); il.Emit(OpCodes.Ldc_I4_1); il.Emit(OpCodes.Add); il.Emit(OpCodes.Stloc_1);
            il.Append(condition); il.Emit(OpCodes.Ldarg_0); il.Emit(OpCodes.Blt, body);
            il.Emit(OpCodes.Ldloc_0);
            il.Emit(OpCodes.Ret);
        });

        // CountDown(n): the loop starts at offset 0 (a branch back to the first instruction).
        // do { n = n - 1; } while (n > 0); return n;  -> 7 per pass + 2 exit.
        var countDown = Method(type, "CountDown", int32, int32);
        Emit(countDown, il =>
        {
            var top = il.Create(OpCodes.Ldarg_0);
            il.Append(top); il.Emit(OpCodes.Ldc_I4_1); il.Emit(OpCodes.Sub); il.Emit(OpCodes.Dup);
            il.Emit(OpCodes.Starg, countDown.Parameters[0]); il.Emit(OpCodes.Ldc_I4_0); il.Emit(OpCodes.Bgt, top);
            il.Emit(OpCodes.Ldarg_0);
            il.Emit(OpCodes.Ret);
        });

        // Branch(x): if (x <= 0) return -1; return StraightLine(x, x);
        //   x <= 0 (ble taken):     3 + 2 = 5 instructions
        //   x > 0  (ble not taken): 3 + 4 = 7 instructions incl. 1 call, + 6 in StraightLine
        var branch = Method(type, "Branch", int32, int32);
        Emit(branch, il =>
        {
            var negative = il.Create(OpCodes.Ldc_I4_M1);
            il.Emit(OpCodes.Ldarg_0); il.Emit(OpCodes.Ldc_I4_0); il.Emit(OpCodes.Ble, negative);
            il.Emit(OpCodes.Ldarg_0); il.Emit(OpCodes.Ldarg_0); il.Emit(OpCodes.Call, straight); il.Emit(OpCodes.Ret);
            il.Append(negative); il.Emit(OpCodes.Ret);
        });

        // Guard(x): if (x >= 0) return x; throw new ArgumentException("negative");
        //   x >= 0: 3 + 2 = 5;  x < 0: 3 + 3 = 6 instructions incl. newobj (1 call, 1 allocation)
        var argumentException = module.ImportReference(typeof(ArgumentException).GetConstructor([typeof(string)]));
        var guard = Method(type, "Guard", int32, int32);
        Emit(guard, il =>
        {
            var ok = il.Create(OpCodes.Ldarg_0);
            il.Emit(OpCodes.Ldarg_0); il.Emit(OpCodes.Ldc_I4_0); il.Emit(OpCodes.Bge, ok);
            il.Emit(OpCodes.Ldstr, "negative"); il.Emit(OpCodes.Newobj, argumentException); il.Emit(OpCodes.Throw);
            il.Append(ok); il.Emit(OpCodes.Ret);
        });

        // Catcher(x): int r; try { r = Guard(x); } catch (Exception) { r = -1; } return r;
        //   try: ldarg.0, call Guard | stloc.0, leave   catch: pop, ldc.i4.m1, stloc.0, leave   end: ldloc.0, ret
        //   Guard returns: 2 + 2 + 2 = 6 in Catcher (1 call) + 5 in Guard
        //   Guard throws:  2 + 4 + 2 = 8 in Catcher (1 call) + 6 in Guard (1 call, 1 allocation);
        //                  the stloc.0, leave after the call must not be counted.
        var catcher = Method(type, "Catcher", int32, int32);
        catcher.Body.Variables.Add(new VariableDefinition(int32));
        Emit(catcher, il =>
        {
            var end = il.Create(OpCodes.Ldloc_0);
            var tryStart = il.Create(OpCodes.Ldarg_0);
            var handlerStart = il.Create(OpCodes.Pop);
            il.Append(tryStart); il.Emit(OpCodes.Call, guard); il.Emit(OpCodes.Stloc_0); il.Emit(OpCodes.Leave, end);
            il.Append(handlerStart); il.Emit(OpCodes.Ldc_I4_M1); il.Emit(OpCodes.Stloc_0); il.Emit(OpCodes.Leave, end);
            il.Append(end); il.Emit(OpCodes.Ret);
            catcher.Body.ExceptionHandlers.Add(new ExceptionHandler(ExceptionHandlerType.Catch)
            {
                TryStart = tryStart, TryEnd = handlerStart,
                HandlerStart = handlerStart, HandlerEnd = end,
                CatchType = module.ImportReference(typeof(Exception)),
            });
        });

        // Allocate(): box (allocation), newarr (allocation), newobj of a struct (a call, no allocation).
        //   ldc.i4.7, box, pop, ldc.i4.2, newarr, pop, ldc.i8 5, newobj TimeSpan(long), pop, ldc.i4.0, ret
        //   = 11 instructions, 1 call, 2 allocations
        var timeSpan = module.ImportReference(typeof(TimeSpan).GetConstructor([typeof(long)]));
        var allocate = Method(type, "Allocate", int32);
        Emit(allocate, il =>
        {
            il.Emit(OpCodes.Ldc_I4_7); il.Emit(OpCodes.Box, int32); il.Emit(OpCodes.Pop);
            il.Emit(OpCodes.Ldc_I4_2); il.Emit(OpCodes.Newarr, int32); il.Emit(OpCodes.Pop);
            il.Emit(OpCodes.Ldc_I8, 5L); il.Emit(OpCodes.Newobj, timeSpan); il.Emit(OpCodes.Pop);
            il.Emit(OpCodes.Ldc_I4_0); il.Emit(OpCodes.Ret);
        });

        using var stream = new MemoryStream();
        assembly.Write(stream);
        return stream.ToArray();
    }

    static MethodDefinition Method(TypeDefinition type, string name, TypeReference returns, params TypeReference[] parameters)
    {
        var method = new MethodDefinition(name, MethodAttributes.Public | MethodAttributes.Static | MethodAttributes.HideBySig, returns);
        for (int i = 0; i < parameters.Length; i++) method.Parameters.Add(new ParameterDefinition("p" + i, ParameterAttributes.None, parameters[i]));
        type.Methods.Add(method);
        return method;
    }

    static void Emit(MethodDefinition method, Action<ILProcessor> emit) => emit(method.Body.GetILProcessor());
}

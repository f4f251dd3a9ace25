using System.Collections.Immutable;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace MicroT.NanoGate;

/// <summary>
/// Scans an assembly for constructs the stable nanoFramework runtime cannot load:
/// generics (definitions and instantiations), multi-dimensional arrays, pointers,
/// localloc (stackalloc), and references to any assembly but mscorlib (plus, for an
/// application, the nanoFramework libraries it ships with, named in <c>allowedReferences</c>,
/// e.g. MicroT.Runtime), and more array-initializer data than <see cref="InitializerDataLimit"/>.
/// Each finding names the type and member it occurs in.
/// </summary>
public static class GateScanner
{
    /// <summary>
    /// Most bytes of array-initializer data (the field RVA blobs behind <c>new byte[] { ... }</c>
    /// and <c>static readonly T[] X = { ... }</c>, read by InitializeArray) one assembly may hold:
    /// 48 KiB. The nanoFramework metadata processor copies that data into the assembly's
    /// signature table, whose offsets are 16-bit, and does not check: past 65,535 bytes (data
    /// plus every other signature) the offsets wrap and the CLR later throws CLR_E_WRONG_TYPE.
    /// 48 KiB leaves 16 KiB for the assembly's own signatures. Split larger tables into
    /// assemblies of their own.
    /// </summary>
    public const int InitializerDataLimit = 48 * 1024;

    /// <summary>Total bytes of array-initializer data (fields with an RVA) in an assembly.</summary>
    public static long InitializerDataBytes(string assemblyPath)
    {
        using FileStream stream = File.OpenRead(assemblyPath);
        using var pe = new PEReader(stream);
        return InitializerDataBytes(pe.GetMetadataReader());
    }

    static long InitializerDataBytes(MetadataReader md)
    {
        long total = 0;
        foreach (FieldDefinitionHandle fh in md.FieldDefinitions)
        {
            FieldDefinition field = md.GetFieldDefinition(fh);
            if ((field.Attributes & System.Reflection.FieldAttributes.HasFieldRVA) == 0) continue;
            total += FieldDataSize(md, field);
        }
        return total;
    }

    /// <summary>Size of an RVA field's data: its type's class layout size, or a primitive's size.</summary>
    static int FieldDataSize(MetadataReader md, FieldDefinition field)
    {
        BlobReader sig = md.GetBlobReader(field.Signature);
        sig.ReadSignatureHeader();
        var code = sig.ReadSignatureTypeCode();
        switch (code)
        {
            case SignatureTypeCode.Boolean: case SignatureTypeCode.SByte: case SignatureTypeCode.Byte: return 1;
            case SignatureTypeCode.Char: case SignatureTypeCode.Int16: case SignatureTypeCode.UInt16: return 2;
            case SignatureTypeCode.Int32: case SignatureTypeCode.UInt32: case SignatureTypeCode.Single: return 4;
            case SignatureTypeCode.Int64: case SignatureTypeCode.UInt64: case SignatureTypeCode.Double: return 8;
            case SignatureTypeCode.TypeHandle:
                EntityHandle h = sig.ReadTypeHandle();
                if (h.Kind == HandleKind.TypeDefinition)
                    return md.GetTypeDefinition((TypeDefinitionHandle)h).GetLayout().Size;
                return 0;
            default:
                return 0;
        }
    }

    public static IReadOnlyList<GateViolation> Scan(string assemblyPath, params string[] allowedReferences)
    {
        using FileStream stream = File.OpenRead(assemblyPath);
        using var pe = new PEReader(stream);
        return Scan(pe, allowedReferences);
    }

    public static IReadOnlyList<GateViolation> Scan(byte[] image, params string[] allowedReferences)
    {
        using var pe = new PEReader(ImmutableArray.Create(image));
        return Scan(pe, allowedReferences);
    }

    static IReadOnlyList<GateViolation> Scan(PEReader pe, string[] allowedReferences)
    {
        MetadataReader md = pe.GetMetadataReader();
        var found = new List<GateViolation>();

        long data = InitializerDataBytes(md);
        if (data > InitializerDataLimit)
        {
            string name = md.IsAssembly ? md.GetString(md.GetAssemblyDefinition().Name) : "module";
            found.Add(new GateViolation(GateRule.InitializerData, "assembly",
                $"{name} holds {data:N0} bytes of array-initializer data; the limit is {InitializerDataLimit:N0} " +
                "(the metadata processor's 16-bit signature offsets wrap past 64 KB): move arrays into an assembly of their own"));
        }

        foreach (AssemblyReferenceHandle h in md.AssemblyReferences)
        {
            string name = md.GetString(md.GetAssemblyReference(h).Name);
            if (name != "mscorlib" && Array.IndexOf(allowedReferences, name) < 0)
                found.Add(new GateViolation(GateRule.ForeignAssemblyReference, "assembly",
                    allowedReferences.Length == 0
                        ? $"references '{name}'; only mscorlib exists on the device"
                        : $"references '{name}'; allowed: mscorlib, {string.Join(", ", allowedReferences)}"));
        }

        foreach (TypeDefinitionHandle th in md.TypeDefinitions)
        {
            TypeDefinition type = md.GetTypeDefinition(th);
            string typeName = TypeName(md, type);
            if (typeName == "<Module>") continue;
            if (type.GetGenericParameters().Count > 0)
                found.Add(new GateViolation(GateRule.GenericType, typeName, "declares generic parameters"));

            var typeSigs = new SignatureChecker(md, typeName, found);
            if (!type.BaseType.IsNil) typeSigs.CheckTypeHandle(type.BaseType, "base type");
            foreach (InterfaceImplementationHandle ih in type.GetInterfaceImplementations())
                typeSigs.CheckTypeHandle(md.GetInterfaceImplementation(ih).Interface, "interface");

            foreach (FieldDefinitionHandle fh in type.GetFields())
            {
                FieldDefinition field = md.GetFieldDefinition(fh);
                var sigs = new SignatureChecker(md, typeName + "." + md.GetString(field.Name), found);
                sigs.CheckFieldSignature(field.Signature, "field type");
            }

            foreach (MethodDefinitionHandle mh in type.GetMethods())
            {
                MethodDefinition method = md.GetMethodDefinition(mh);
                string where = typeName + "::" + md.GetString(method.Name);
                if (method.GetGenericParameters().Count > 0)
                    found.Add(new GateViolation(GateRule.GenericMethod, where, "declares generic parameters"));
                var sigs = new SignatureChecker(md, where, found);
                sigs.CheckMethodSignature(method.Signature, "signature");
                if (method.RelativeVirtualAddress == 0) continue;
                MethodBodyBlock body = pe.GetMethodBody(method.RelativeVirtualAddress);
                if (!body.LocalSignature.IsNil)
                    sigs.CheckLocalSignature(md.GetStandaloneSignature(body.LocalSignature).Signature);
                ScanIl(md, body.GetILBytes() ?? [], sigs, where, found);
            }
        }
        return found;
    }

    static void ScanIl(MetadataReader md, byte[] il, SignatureChecker sigs, string where, List<GateViolation> found)
    {
        int i = 0;
        while (i < il.Length)
        {
            int offset = i;
            int code = il[i++];
            if (code == 0xFE) code = 0xFE00 | il[i++];
            var op = (ILOpCode)code;
            if (op == ILOpCode.Localloc)
                found.Add(new GateViolation(GateRule.Localloc, where, $"localloc (stackalloc) at IL_{offset:X4}"));
            if (op == ILOpCode.Switch)
            {
                int n = BitConverter.ToInt32(il, i);
                i += 4 + 4 * n;
                continue;
            }
            int size = OperandSize(op);
            if (size == 4 && IsTokenOperand(op))
            {
                int token = BitConverter.ToInt32(il, i);
                sigs.CheckToken(MetadataTokens.EntityHandle(token), $"{op} at IL_{offset:X4}");
            }
            i += size;
        }
    }

    static bool IsTokenOperand(ILOpCode op) => op switch
    {
        ILOpCode.Call or ILOpCode.Callvirt or ILOpCode.Newobj or ILOpCode.Ldftn or ILOpCode.Ldvirtftn or
        ILOpCode.Jmp or ILOpCode.Calli or ILOpCode.Ldfld or ILOpCode.Ldflda or ILOpCode.Stfld or
        ILOpCode.Ldsfld or ILOpCode.Ldsflda or ILOpCode.Stsfld or ILOpCode.Box or ILOpCode.Unbox or
        ILOpCode.Unbox_any or ILOpCode.Castclass or ILOpCode.Isinst or ILOpCode.Newarr or
        ILOpCode.Ldelema or ILOpCode.Ldelem or ILOpCode.Stelem or ILOpCode.Ldobj or ILOpCode.Stobj or
        ILOpCode.Cpobj or ILOpCode.Initobj or ILOpCode.Sizeof or ILOpCode.Mkrefany or ILOpCode.Refanyval or
        ILOpCode.Ldtoken or ILOpCode.Constrained => true,
        _ => false,
    };

    /// <summary>Operand size in bytes of every IL opcode (ECMA-335 III), switch excluded.</summary>
    static int OperandSize(ILOpCode op)
    {
        switch (op)
        {
            case ILOpCode.Ldarg_s: case ILOpCode.Ldarga_s: case ILOpCode.Starg_s: case ILOpCode.Ldloc_s:
            case ILOpCode.Ldloca_s: case ILOpCode.Stloc_s: case ILOpCode.Ldc_i4_s: case ILOpCode.Br_s:
            case ILOpCode.Brfalse_s: case ILOpCode.Brtrue_s: case ILOpCode.Beq_s: case ILOpCode.Bge_s:
            case ILOpCode.Bgt_s: case ILOpCode.Ble_s: case ILOpCode.Blt_s: case ILOpCode.Bne_un_s:
            case ILOpCode.Bge_un_s: case ILOpCode.Bgt_un_s: case ILOpCode.Ble_un_s: case ILOpCode.Blt_un_s:
            case ILOpCode.Leave_s: case ILOpCode.Unaligned:
                return 1;
            case ILOpCode.Ldarg: case ILOpCode.Ldarga: case ILOpCode.Starg: case ILOpCode.Ldloc:
            case ILOpCode.Ldloca: case ILOpCode.Stloc:
                return 2;
            case ILOpCode.Ldc_i8: case ILOpCode.Ldc_r8:
                return 8;
            case ILOpCode.Ldc_i4: case ILOpCode.Ldc_r4: case ILOpCode.Br: case ILOpCode.Brfalse:
            case ILOpCode.Brtrue: case ILOpCode.Beq: case ILOpCode.Bge: case ILOpCode.Bgt: case ILOpCode.Ble:
            case ILOpCode.Blt: case ILOpCode.Bne_un: case ILOpCode.Bge_un: case ILOpCode.Bgt_un:
            case ILOpCode.Ble_un: case ILOpCode.Blt_un: case ILOpCode.Leave: case ILOpCode.Ldstr:
                return 4;
            default:
                return IsTokenOperand(op) ? 4 : 0;
        }
    }

    internal static string TypeName(MetadataReader md, TypeDefinition type)
    {
        string name = md.GetString(type.Name);
        if (type.IsNested)
            return TypeName(md, md.GetTypeDefinition(type.GetDeclaringType())) + "+" + name;
        string ns = md.GetString(type.Namespace);
        return ns.Length == 0 ? name : ns + "." + name;
    }
}

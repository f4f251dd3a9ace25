using System.Collections.Immutable;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;

namespace MicroT.NanoGate;

/// <summary>
/// Decodes signatures and metadata tokens met in one member and records every generic
/// instantiation, generic parameter use, multi-dimensional array and pointer in them.
/// </summary>
sealed class SignatureChecker : ISignatureTypeProvider<string, object?>
{
    readonly MetadataReader _md;
    readonly string _where;
    readonly List<GateViolation> _found;
    string _context = "";

    public SignatureChecker(MetadataReader md, string where, List<GateViolation> found)
    {
        _md = md;
        _where = where;
        _found = found;
    }

    void Report(GateRule rule, string detail) =>
        _found.Add(new GateViolation(rule, _where, $"{detail} ({_context})"));

    public void CheckFieldSignature(BlobHandle sig, string context)
    {
        _context = context;
        new SignatureDecoder<string, object?>(this, _md, null).DecodeFieldSignature(ref Blob(sig));
    }

    public void CheckMethodSignature(BlobHandle sig, string context)
    {
        _context = context;
        new SignatureDecoder<string, object?>(this, _md, null).DecodeMethodSignature(ref Blob(sig));
    }

    public void CheckLocalSignature(BlobHandle sig)
    {
        _context = "local variables";
        new SignatureDecoder<string, object?>(this, _md, null).DecodeLocalSignature(ref Blob(sig));
    }

    public void CheckTypeHandle(EntityHandle handle, string context)
    {
        _context = context;
        CheckTypeSpecification(handle);
    }

    /// <summary>Checks the metadata token an IL instruction refers to.</summary>
    public void CheckToken(EntityHandle handle, string context)
    {
        _context = context;
        switch (handle.Kind)
        {
            case HandleKind.TypeSpecification:
                CheckTypeSpecification(handle);
                break;
            case HandleKind.MethodSpecification:
                MethodSpecification spec = _md.GetMethodSpecification((MethodSpecificationHandle)handle);
                Report(GateRule.GenericInstantiation, $"calls generic method {MemberName(spec.Method)}");
                spec.DecodeSignature(this, null);
                break;
            case HandleKind.MemberReference:
                MemberReference member = _md.GetMemberReference((MemberReferenceHandle)handle);
                CheckTypeSpecification(member.Parent);
                if (member.GetKind() == MemberReferenceKind.Method)
                    member.DecodeMethodSignature(this, null);
                else
                    member.DecodeFieldSignature(this, null);
                break;
            case HandleKind.StandaloneSignature:
                StandaloneSignature ss = _md.GetStandaloneSignature((StandaloneSignatureHandle)handle);
                if (ss.GetKind() == StandaloneSignatureKind.Method)
                {
                    Report(GateRule.Pointer, "calli through a function pointer");
                    ss.DecodeMethodSignature(this, null);
                }
                break;
        }
    }

    /// <summary>Decodes a TypeSpec (generic instantiation, array, pointer); plain type refs need no check.</summary>
    void CheckTypeSpecification(EntityHandle handle)
    {
        if (handle.Kind == HandleKind.TypeSpecification)
            _md.GetTypeSpecification((TypeSpecificationHandle)handle).DecodeSignature(this, null);
    }

    string MemberName(EntityHandle h) => h.Kind switch
    {
        HandleKind.MethodDefinition => _md.GetString(_md.GetMethodDefinition((MethodDefinitionHandle)h).Name),
        HandleKind.MemberReference => _md.GetString(_md.GetMemberReference((MemberReferenceHandle)h).Name),
        _ => h.Kind.ToString(),
    };

    ref BlobReader Blob(BlobHandle h)
    {
        _reader = _md.GetBlobReader(h);
        return ref _reader;
    }
    BlobReader _reader;

    // ISignatureTypeProvider: builds a readable type name and reports forbidden shapes.
    public string GetPrimitiveType(PrimitiveTypeCode typeCode) => typeCode.ToString();
    public string GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) =>
        GateScanner.TypeName(reader, reader.GetTypeDefinition(handle));
    public string GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind)
    {
        TypeReference r = reader.GetTypeReference(handle);
        string ns = reader.GetString(r.Namespace);
        return (ns.Length == 0 ? "" : ns + ".") + reader.GetString(r.Name);
    }
    public string GetTypeFromSpecification(MetadataReader reader, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind) =>
        reader.GetTypeSpecification(handle).DecodeSignature(this, genericContext);
    public string GetSZArrayType(string elementType) => elementType + "[]";
    public string GetArrayType(string elementType, ArrayShape shape)
    {
        string name = elementType + "[" + new string(',', shape.Rank - 1) + "]";
        Report(GateRule.MultiDimensionalArray, $"uses {name}");
        return name;
    }
    public string GetPointerType(string elementType)
    {
        Report(GateRule.Pointer, $"uses pointer {elementType}*");
        return elementType + "*";
    }
    public string GetByReferenceType(string elementType) => elementType + "&";
    public string GetGenericInstantiation(string genericType, ImmutableArray<string> typeArguments)
    {
        string name = genericType + "<" + string.Join(",", typeArguments) + ">";
        Report(GateRule.GenericInstantiation, $"uses {name}");
        return name;
    }
    public string GetGenericMethodParameter(object? genericContext, int index)
    {
        Report(GateRule.GenericMethod, $"uses generic method parameter !!{index}");
        return "!!" + index;
    }
    public string GetGenericTypeParameter(object? genericContext, int index)
    {
        Report(GateRule.GenericType, $"uses generic type parameter !{index}");
        return "!" + index;
    }
    public string GetFunctionPointerType(MethodSignature<string> signature)
    {
        Report(GateRule.Pointer, "uses a function pointer");
        return "fnptr";
    }
    public string GetModifiedType(string modifier, string unmodifiedType, bool isRequired) => unmodifiedType;
    public string GetPinnedType(string elementType)
    {
        Report(GateRule.Pointer, $"pins {elementType} (fixed statement)");
        return elementType;
    }
    public string GetTypeFromSerializedName(string name) => name;
}

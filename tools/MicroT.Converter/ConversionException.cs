namespace MicroT.Converter;

/// <summary>
/// The one exception the converter throws for a model it cannot convert or a bad option.
/// The message names the node, its op type and what to do; the CLI prints it without a stack
/// trace and exits non-zero.
/// </summary>
public sealed class ConversionException : Exception
{
    public ConversionException(string message) : base(message) { }

    public ConversionException(string message, Exception inner) : base(message, inner) { }

    internal static ConversionException AtNode(Onnx.NodeProto node, string problem, string whatToDo) =>
        new ConversionException($"node '{NodeLabel(node)}' (op {node.OpType}): {problem}. {whatToDo}");

    internal static string NodeLabel(Onnx.NodeProto node) =>
        string.IsNullOrEmpty(node.Name) ? (node.Output.Count > 0 ? "-> " + node.Output[0] : "?") : node.Name;
}

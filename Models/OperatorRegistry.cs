namespace MicroT.Runtime.Models
{
    /// <summary>
    /// The one list of operator kinds the runtime knows: the reader asks it for the operator of
    /// an entry's kind byte. A new kind is one class (see <see cref="Operator"/>) and one case here
    /// (docs/KERNELS.md "Adding an operator").
    /// </summary>
    internal static class OperatorRegistry
    {
        /// <summary>The operator for kind byte <paramref name="kind"/> at table position index; ModelFormatException naming the kind when it is unknown.</summary>
        internal static Operator Create(int kind, int index, int entry)
        {
            switch (kind)
            {
                case (int)OperatorKind.Conv2D: return new Conv2DOperator(index);
                case (int)OperatorKind.DepthwiseConv2D: return new DepthwiseConv2DOperator(index);
                case (int)OperatorKind.FullyConnected: return new FullyConnectedOperator(index);
                case (int)OperatorKind.Add: return new AddOperator(index);
                case (int)OperatorKind.AveragePool2D: return new AveragePool2DOperator(index);
                case (int)OperatorKind.MaxPool2D: return new MaxPool2DOperator(index);
                case (int)OperatorKind.GlobalAveragePool: return new GlobalAveragePoolOperator(index);
                case (int)OperatorKind.Softmax: return new SoftmaxOperator(index);
            }
            throw new ModelFormatException("operator " + index.ToString() + ": kind " + kind.ToString()
                + " is unknown (this runtime knows 1 Conv2D, 2 DepthwiseConv2D, 3 FullyConnected, 4 Add, 5 AveragePool2D, 6 MaxPool2D, 7 GlobalAveragePool, 8 Softmax)", entry);
        }
    }
}

namespace MicroT.Runtime.Models
{
    /// <summary>MaxPool2D (kind 6): runs <see cref="Kernels.MaxPool2D"/> (the shared pool loop, no scratch).</summary>
    internal sealed class MaxPool2DOperator : PoolOperator
    {
        internal MaxPool2DOperator(int index) : base(index) { }

        public override OperatorKind Kind { get { return OperatorKind.MaxPool2D; } }
        internal override string KindName { get { return "MaxPool2D"; } }

        internal override void Run(sbyte[] arena, long[] scratch)
        {
            Kernels.MaxPool2D.Run(parameters, arena, input.arenaOffset, arena, output.arenaOffset);
        }
    }
}

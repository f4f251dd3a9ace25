namespace MicroT.Runtime.Models
{
    /// <summary>AveragePool2D (kind 5): runs <see cref="Kernels.AveragePool2D"/> (the shared pool loop, no scratch).</summary>
    internal sealed class AveragePool2DOperator : PoolOperator
    {
        internal AveragePool2DOperator(int index) : base(index) { }

        public override OperatorKind Kind { get { return OperatorKind.AveragePool2D; } }
        internal override string KindName { get { return "AveragePool2D"; } }

        internal override void Run(sbyte[] arena, long[] scratch)
        {
            Kernels.AveragePool2D.Run(parameters, arena, input.arenaOffset, arena, output.arenaOffset);
        }
    }
}

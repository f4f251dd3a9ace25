using MicroT.Runtime.Kernels;

namespace MicroT.Runtime.Models
{
    /// <summary>
    /// GlobalAveragePool (kind 7): HxWxC to 1x1xC, output quantization free; runs
    /// <see cref="Kernels.GlobalAveragePool"/> (no scratch). MACs: input values.
    /// </summary>
    internal sealed class GlobalAveragePoolOperator : Operator
    {
        GlobalAveragePoolParams parameters;

        internal GlobalAveragePoolOperator(int index) : base(index) { }

        public override OperatorKind Kind { get { return OperatorKind.GlobalAveragePool; } }
        internal override string KindName { get { return "GlobalAveragePool"; } }
        public override long Macs { get { return input.Length; } }

        internal override void Decode(ModelReader reader, int entry)
        {
            DecodeNoWindow(entry);
            Tensor x = input, y = output;
            if (y.Height != 1 || y.Width != 1 || y.Channels != x.Channels)
                throw ModelReader.Fail(Describe() + ": output " + y.ShapeText() + " should be 1x1x" + x.Channels.ToString(), entry + 8);
            reader.ExpectNoConstants(this, entry);
            double e = (double)x.Scale / y.Scale;
            if (!ModelReader.EffectiveOk(e)) throw ModelReader.Fail(Describe() + ": input to output scale ratio " + ModelReader.EffectiveRule(e), entry + 8);
            DecodeNoClamp(entry);
        }

        internal override void Prepare(Model model)
        {
            Tensor x = input, y = output;
            GlobalAveragePoolParams p = new GlobalAveragePoolParams();
            p.Height = x.Height; p.Width = x.Width; p.Channels = x.Channels;
            p.InputZeroPoint = x.ZeroPoint; p.OutputZeroPoint = y.ZeroPoint;
            p.SetScales(x.Scale, y.Scale);
            parameters = p;
        }

        internal override int ScratchSize() { return Kernels.GlobalAveragePool.ScratchSize(parameters); }

        internal override void Run(sbyte[] arena, long[] scratch)
        {
            Kernels.GlobalAveragePool.Run(parameters, arena, input.arenaOffset, arena, output.arenaOffset, scratch);
        }
    }
}

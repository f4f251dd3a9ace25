using MicroT.Runtime.Kernels;

namespace MicroT.Runtime.Models
{
    /// <summary>
    /// Softmax (kind 8): over the channels of each pixel, output scale 1/256 and zero point -128
    /// (TFLite); runs <see cref="Kernels.Softmax"/> (no scratch; may write over its input). MACs:
    /// output values.
    /// </summary>
    internal sealed class SoftmaxOperator : Operator
    {
        SoftmaxParams parameters;

        internal SoftmaxOperator(int index) : base(index) { }

        public override OperatorKind Kind { get { return OperatorKind.Softmax; } }
        internal override string KindName { get { return "Softmax"; } }
        public override long Macs { get { return output.Length; } }
        internal override bool WritesOverInput { get { return true; } }

        internal override void Decode(ModelReader reader, int entry)
        {
            DecodeNoWindow(entry);
            Tensor x = input, y = output;
            if (!x.SameShape(y)) throw ModelReader.Fail(Describe() + ": output " + y.ShapeText() + " should equal input " + x.ShapeText(), entry + 8);
            reader.ExpectNoConstants(this, entry);
            if (y.Scale != 0.00390625f || y.ZeroPoint != -128)
                throw ModelReader.Fail(Describe() + ": output must have scale 1/256 and zero point -128", entry + 8);
            // The fixed-point exp needs input scale * 2^26 >= 1 (Kernels.SoftmaxParams.SetScale).
            if (x.Scale < 1.4901161193847656e-8f)
                throw ModelReader.Fail(Describe() + ": input scale " + x.Scale.ToString() + " is below 2^-26", entry + 4);
            DecodeNoClamp(entry);
        }

        internal override void Prepare(Model model)
        {
            SoftmaxParams p = new SoftmaxParams();
            p.Rows = input.Height * input.Width; p.Depth = input.Channels;
            p.SetScale(1.0, input.Scale);
            parameters = p;
        }

        internal override int ScratchSize() { return Kernels.Softmax.ScratchSize(parameters); }

        internal override void Run(sbyte[] arena, long[] scratch)
        {
            Kernels.Softmax.Run(parameters, arena, input.arenaOffset, arena, output.arenaOffset);
        }
    }
}

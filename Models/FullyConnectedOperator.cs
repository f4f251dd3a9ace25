using MicroT.Runtime.Kernels;

namespace MicroT.Runtime.Models
{
    /// <summary>
    /// FullyConnected (kind 3): weights [OutN, InN] over the input flattened in NHWC order, output
    /// 1x1xOutN; runs <see cref="Kernels.FullyConnected"/> (no scratch). MACs: InN x OutN.
    /// </summary>
    internal sealed class FullyConnectedOperator : WeightedOperator
    {
        FullyConnectedParams parameters;

        internal FullyConnectedOperator(int index) : base(index) { }

        public override OperatorKind Kind { get { return OperatorKind.FullyConnected; } }
        internal override string KindName { get { return "FullyConnected"; } }
        public override long Macs { get { return (long)input.Length * output.Channels; } }
        internal override long ExpectedWeights { get { return (long)output.Channels * input.Length; } }

        internal override void WeightLayout(out int taps, out int channelStride, out int tapStride)
        {
            taps = input.Length;
            channelStride = taps;
            tapStride = 1;
        }

        internal override void Decode(ModelReader reader, int entry)
        {
            DecodeNoWindow(entry);
            if (output.Height != 1 || output.Width != 1) throw ModelReader.Fail(Describe() + ": output " + output.ShapeText() + " should be 1x1xN", entry + 8);
            DecodeConstants(reader, entry);
        }

        internal override void Prepare(Model model)
        {
            Tensor x = input, y = output;
            FullyConnectedParams p = new FullyConnectedParams();
            p.InputSize = x.Length; p.OutputSize = y.Channels;
            p.InputZeroPoint = x.ZeroPoint; p.OutputZeroPoint = y.ZeroPoint;
            p.ActivationMin = ActivationMin; p.ActivationMax = ActivationMax;
            p.Weights = model.Weights; p.WeightsOffset = WeightsOffset;
            p.Bias = Bias;
            p.SetScales(x.Scale, ScalesAsDoubles(), y.Scale);
            parameters = p;
            Kernels.FullyConnected.Prepare(p);
        }

        internal override int ScratchSize() { return Kernels.FullyConnected.ScratchSize(parameters); }

        internal override void DropReferenceData()
        {
            base.DropReferenceData();
            if (parameters != null) parameters.Bias = null;
        }

        internal override void Run(sbyte[] arena, long[] scratch)
        {
            Kernels.FullyConnected.Run(parameters, arena, input.arenaOffset, arena, output.arenaOffset, scratch);
        }
    }
}

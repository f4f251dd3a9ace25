using MicroT.Runtime.Kernels;

namespace MicroT.Runtime.Models
{
    /// <summary>
    /// What AveragePool2D and MaxPool2D share: the window rule (output channels = input's), no
    /// constants, the output's quantization equal to the input's, and one <see cref="PoolParams"/>.
    /// MACs: output values x KH x KW. No scratch.
    /// </summary>
    internal abstract class PoolOperator : Operator
    {
        internal PoolParams parameters;

        internal PoolOperator(int index) : base(index) { }

        public override long Macs { get { return (long)output.Length * KernelHeight * KernelWidth; } }

        internal override void Decode(ModelReader reader, int entry)
        {
            DecodeWindow(entry, input.Channels);
            reader.ExpectNoConstants(this, entry);
            DecodeSameQuantization(entry);
        }

        internal override void Prepare(Model model)
        {
            Tensor x = input, y = output;
            PoolParams p = new PoolParams();
            p.InputHeight = x.Height; p.InputWidth = x.Width; p.Channels = x.Channels;
            p.FilterHeight = KernelHeight; p.FilterWidth = KernelWidth;
            p.StrideHeight = StrideHeight; p.StrideWidth = StrideWidth;
            if (Explicit)
            {
                p.OutputHeight = y.Height; p.OutputWidth = y.Width;
                p.PadTop = PadTop; p.PadLeft = PadLeft;
            }
            else p.SetPadding(Padding);
            p.ActivationMin = ActivationMin; p.ActivationMax = ActivationMax;
            p.Check();
            parameters = p;
        }

        internal override int ScratchSize() { return 0; }
    }
}

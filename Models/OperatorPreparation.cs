using System;
using MicroT.Runtime.Kernels;

namespace MicroT.Runtime.Models
{
    /// <summary>
    /// Turns each validated operator into its kernel's parameter object, once at load:
    /// shapes, padding, zero points, clamp, requantization multipliers from the scales, and the
    /// kernel's Prepare (bias folding). Also sizes the shared scratch. The reader has already
    /// checked everything the kernels check; should a kernel still refuse, its
    /// ArgumentException becomes a ModelFormatException naming the operator.
    /// </summary>
    internal static class OperatorPreparation
    {
        internal static void Prepare(Model model)
        {
            Operator[] ops = model.Operators;
            int scratch = 0;
            for (int i = 0; i < ops.Length; i++)
            {
                Operator op = ops[i];
                int need;
                try
                {
                    need = PrepareOne(model, op);
                }
                catch (ArgumentException e)
                {
                    throw new ModelFormatException("operator " + i.ToString() + " (" + ModelReader.KindName(op.Kind) + "): kernel rejected it: " + e.Message, op.EntryOffset);
                }
                if (need > scratch) scratch = need;
                if (!model.KeepsReferenceData) DropLoadData(op);
            }
            if (scratch > ModelFormat.MaxScratchLongs)
                throw new ModelFormatException("the kernels need " + scratch.ToString() + " longs of scratch, above the limit of " + ModelFormat.MaxScratchLongs.ToString(), -1);
            model.ScratchLength = scratch;
        }

        /// <summary>Fills op.Params and returns the scratch (longs) its kernel needs.</summary>
        static int PrepareOne(Model model, Operator op)
        {
            Tensor x = op.Input, y = op.Output;
            switch (op.Kind)
            {
                case OperatorKind.Conv2D:
                case OperatorKind.DepthwiseConv2D:
                {
                    ConvParams p = new ConvParams();
                    p.InputHeight = x.Height; p.InputWidth = x.Width; p.InputChannels = x.Channels;
                    p.OutputChannels = y.Channels;
                    p.KernelHeight = op.KernelHeight; p.KernelWidth = op.KernelWidth;
                    p.StrideHeight = op.StrideHeight; p.StrideWidth = op.StrideWidth;
                    if (op.Explicit)
                    {
                        p.OutputHeight = y.Height; p.OutputWidth = y.Width;
                        p.PadTop = op.PadTop; p.PadLeft = op.PadLeft;
                    }
                    else p.SetPadding(op.Padding);
                    p.InputZeroPoint = x.ZeroPoint; p.OutputZeroPoint = y.ZeroPoint;
                    p.ActivationMin = op.ActivationMin; p.ActivationMax = op.ActivationMax;
                    p.Weights = model.Weights; p.WeightsOffset = op.WeightsOffset;
                    p.Bias = op.Bias;
                    p.SetScales(x.Scale, Doubles(op.WeightScales), y.Scale);
                    op.Params = p;
                    if (op.Kind == OperatorKind.DepthwiseConv2D)
                    {
                        DepthwiseConv2D.Prepare(p);
                        return DepthwiseConv2D.ScratchSize(p);
                    }
                    op.Pointwise = op.KernelHeight == 1 && op.KernelWidth == 1;
                    if (op.Pointwise)
                    {
                        PointwiseConv2D.Prepare(p);
                        return PointwiseConv2D.ScratchSize(p);
                    }
                    Conv2D.Prepare(p);
                    return Conv2D.ScratchSize(p);
                }
                case OperatorKind.FullyConnected:
                {
                    FullyConnectedParams p = new FullyConnectedParams();
                    p.InputSize = x.Length; p.OutputSize = y.Channels;
                    p.InputZeroPoint = x.ZeroPoint; p.OutputZeroPoint = y.ZeroPoint;
                    p.ActivationMin = op.ActivationMin; p.ActivationMax = op.ActivationMax;
                    p.Weights = model.Weights; p.WeightsOffset = op.WeightsOffset;
                    p.Bias = op.Bias;
                    p.SetScales(x.Scale, Doubles(op.WeightScales), y.Scale);
                    op.Params = p;
                    FullyConnected.Prepare(p);
                    return FullyConnected.ScratchSize(p);
                }
                case OperatorKind.Add:
                {
                    AddParams p = new AddParams();
                    p.Size = y.Length;
                    p.Input1ZeroPoint = x.ZeroPoint; p.Input2ZeroPoint = op.Input2.ZeroPoint; p.OutputZeroPoint = y.ZeroPoint;
                    p.ActivationMin = op.ActivationMin; p.ActivationMax = op.ActivationMax;
                    p.SetScales(x.Scale, op.Input2.Scale, y.Scale);
                    op.Params = p;
                    return Add.ScratchSize(p);
                }
                case OperatorKind.AveragePool2D:
                case OperatorKind.MaxPool2D:
                {
                    PoolParams p = new PoolParams();
                    p.InputHeight = x.Height; p.InputWidth = x.Width; p.Channels = x.Channels;
                    p.FilterHeight = op.KernelHeight; p.FilterWidth = op.KernelWidth;
                    p.StrideHeight = op.StrideHeight; p.StrideWidth = op.StrideWidth;
                    if (op.Explicit)
                    {
                        p.OutputHeight = y.Height; p.OutputWidth = y.Width;
                        p.PadTop = op.PadTop; p.PadLeft = op.PadLeft;
                    }
                    else p.SetPadding(op.Padding);
                    p.ActivationMin = op.ActivationMin; p.ActivationMax = op.ActivationMax;
                    op.Params = p;
                    return op.Kind == OperatorKind.MaxPool2D ? MaxPool2D.ScratchSize(p) : AveragePool2D.ScratchSize(p);
                }
                case OperatorKind.GlobalAveragePool:
                {
                    GlobalAveragePoolParams p = new GlobalAveragePoolParams();
                    p.Height = x.Height; p.Width = x.Width; p.Channels = x.Channels;
                    p.InputZeroPoint = x.ZeroPoint; p.OutputZeroPoint = y.ZeroPoint;
                    p.SetScales(x.Scale, y.Scale);
                    op.Params = p;
                    return GlobalAveragePool.ScratchSize(p);
                }
                case OperatorKind.Softmax:
                {
                    SoftmaxParams p = new SoftmaxParams();
                    p.Rows = x.Height * x.Width; p.Depth = x.Channels;
                    p.SetScale(1.0, x.Scale);
                    op.Params = p;
                    return Softmax.ScratchSize(p);
                }
            }
            throw new ModelFormatException("operator " + op.Index.ToString() + ": operator kind " + ((int)op.Kind).ToString() + " is unknown", op.EntryOffset);
        }

        /// <summary>Drops what only loading and the Reference loops read: raw bias, weight scales.</summary>
        static void DropLoadData(Operator op)
        {
            op.WeightScales = null;
            op.Bias = null;
            ConvParams c = op.Params as ConvParams;
            if (c != null) c.Bias = null;
            FullyConnectedParams f = op.Params as FullyConnectedParams;
            if (f != null) f.Bias = null;
        }

        static double[] Doubles(float[] values)
        {
            double[] d = new double[values.Length];
            for (int i = 0; i < values.Length; i++) d[i] = values[i];
            return d;
        }
    }
}

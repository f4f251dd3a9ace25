namespace MicroT.Runtime.Models
{
    /// <summary>
    /// What Conv2D, DepthwiseConv2D and FullyConnected share: int8 weights in the model's weight
    /// store, an optional int32 bias and a weight scale per output channel, read and checked by
    /// <see cref="DecodeConstants"/>; the bias and scales are dropped after Prepare unless the
    /// model keeps its reference data.
    /// </summary>
    internal abstract class WeightedOperator : Operator
    {
        int weightsOffset = -1;
        int[] bias;
        float[] weightScales;

        internal WeightedOperator(int index) : base(index) { }

        public override int WeightsOffset { get { return weightsOffset; } }
        public override int WeightsLength { get { return weightsOffset < 0 ? 0 : (int)ExpectedWeights; } }
        public override int[] Bias { get { return bias; } }
        public override float[] WeightScales { get { return weightScales; } }

        /// <summary>Weights of the kind for its shapes (the file's weights block must have exactly this many bytes).</summary>
        internal abstract long ExpectedWeights { get; }

        /// <summary>
        /// Layout of one output channel's weights from <see cref="WeightsOffset"/>: channel c starts
        /// at c * channelStride and has taps values tapStride apart (OHWI rows: taps = patch,
        /// channelStride = patch, tapStride = 1; depthwise [KH, KW, C]: taps = KH * KW, 1, C).
        /// </summary>
        internal abstract void WeightLayout(out int taps, out int channelStride, out int tapStride);

        /// <summary>Reads weights, weight scales and bias into the model (ModelReader.ReadConstants), checks the accumulator bound and each channel's rescale factor.</summary>
        internal void DecodeConstants(ModelReader reader, int entry)
        {
            reader.ReadConstants(this, entry, ExpectedWeights, out weightsOffset, out weightScales, out bias);
            int taps, channelStride, tapStride;
            WeightLayout(out taps, out channelStride, out tapStride);
            reader.CheckAccumulatorBound(this, entry, weightsOffset, taps, channelStride, tapStride, bias);
            Tensor x = input, y = output;
            for (int c = 0; c < weightScales.Length; c++)
            {
                double e = (double)x.Scale * weightScales[c] / y.Scale;
                if (!ModelReader.EffectiveOk(e)) throw ModelReader.Fail(Describe() + ": rescale factor of channel " + c.ToString() + " " + ModelReader.EffectiveRule(e), entry + 32);
            }
        }

        /// <summary>The weight scales as doubles (for the kernels' SetScales; a transient array).</summary>
        internal double[] ScalesAsDoubles()
        {
            double[] d = new double[weightScales.Length];
            for (int i = 0; i < d.Length; i++) d[i] = weightScales[i];
            return d;
        }

        internal override void DropReferenceData()
        {
            bias = null;
            weightScales = null;
        }
    }
}

using System;

namespace MicroT.Runtime.Kernels
{
    /// <summary>
    /// int8 2-D convolution, any KxK (1x1 pointwise included), any stride, TFLite SAME/VALID or
    /// explicit padding, per-channel weights OHWI [OutC, KH, KW, InC].
    /// acc = bias[oc] + sum (x - inZp) * w; out = clamp(MBQM(acc, M[oc], S[oc]) + outZp).
    /// A 1x1 kernel needs no separate path: the packing copies each pixel's InC values as one
    /// window row (PackedConv.PackGroup), which for 1x1 is the whole patch.
    /// </summary>
    public static class Conv2D
    {
        /// <summary>Longs of scratch Run needs: 4 per patch element (KH*KW*InC: the packed 12-pixel tile) + 48 (lane sums, 4 channels x 12 pixels; see PackedConv).</summary>
        public static int ScratchSize(ConvParams p)
        {
            if (p == null) throw new ArgumentNullException("p");
            return PackedConv.ScratchSize(p.KernelHeight * p.KernelWidth * p.InputChannels);
        }

        /// <summary>
        /// True when Run may write its output over its input (output == input, same offset): a 1x1
        /// kernel at stride 1 (no padding then: explicit pads are smaller than the kernel, SAME adds
        /// none) with as many output as input channels. Output pixel p then takes exactly input pixel
        /// p's bytes, and PackedConv packs a tile's 12 input pixels into scratch before it stores any
        /// output of that tile; later tiles read only pixels no store has reached. Any other shape
        /// needs output and input apart (the 3x3 stem and larger windows read pixels already stored).
        /// </summary>
        public static bool WritesOverInput(int kernelHeight, int kernelWidth, int strideHeight, int strideWidth, int inputChannels, int outputChannels)
        {
            return kernelHeight == 1 && kernelWidth == 1 && strideHeight == 1 && strideWidth == 1 && inputChannels == outputChannels;
        }

        /// <summary>Checks the parameters and folds -InputZeroPoint * sum(w) into PreparedBias. Call once at load.</summary>
        public static void Prepare(ConvParams p)
        {
            if (p == null) throw new ArgumentNullException("p");
            int k = p.KernelHeight * p.KernelWidth * p.InputChannels;
            p.Check(p.OutputChannels * k);
            p.PreparedBias = Quantization.FoldBias(p.Weights, p.WeightsOffset, p.Bias, p.OutputChannels, k, 1, p.InputZeroPoint);
        }

        /// <summary>Plain reference: the TFLite reference loop nest, no preparation needed.</summary>
        public static void Reference(ConvParams p, sbyte[] input, int inputOffset, sbyte[] output, int outputOffset)
        {
            if (p == null) throw new ArgumentNullException("p");
            p.Check(p.OutputChannels * p.KernelHeight * p.KernelWidth * p.InputChannels);
            KernelCheck.Buffer(input, inputOffset, p.InputSize, "input");
            KernelCheck.Buffer(output, outputOffset, p.OutputSize, "output");
            int inH = p.InputHeight, inW = p.InputWidth, inC = p.InputChannels;
            int outC = p.OutputChannels, kH = p.KernelHeight, kW = p.KernelWidth;
            for (int oy = 0; oy < p.OutputHeight; oy++)
            {
                for (int ox = 0; ox < p.OutputWidth; ox++)
                {
                    for (int oc = 0; oc < outC; oc++)
                    {
                        int acc = p.Bias == null ? 0 : p.Bias[oc];
                        for (int ky = 0; ky < kH; ky++)
                        {
                            int iy = oy * p.StrideHeight - p.PadTop + ky;
                            if (iy < 0 || iy >= inH) continue;
                            for (int kx = 0; kx < kW; kx++)
                            {
                                int ix = ox * p.StrideWidth - p.PadLeft + kx;
                                if (ix < 0 || ix >= inW) continue;
                                for (int ic = 0; ic < inC; ic++)
                                {
                                    int x = input[inputOffset + (iy * inW + ix) * inC + ic];
                                    int w = p.Weights[p.WeightsOffset + ((oc * kH + ky) * kW + kx) * inC + ic];
                                    acc += (x - p.InputZeroPoint) * w;
                                }
                            }
                        }
                        output[outputOffset + (oy * p.OutputWidth + ox) * outC + oc] =
                            Quantization.Requantize(acc, p.OutputMultiplier[oc], p.OutputShift[oc], p.OutputZeroPoint, p.ActivationMin, p.ActivationMax);
                    }
                }
            }
        }

        /// <summary>
        /// Tuned path (needs Prepare): a 3x3 kernel on one input channel (the stem) directly (Stem3x3);
        /// otherwise im2col packing of 12 output pixels into scratch, three per long, then a
        /// register-blocked GEMM (PackedConv). Bit-exact with Reference. Allocates nothing.
        /// scratch: at least ScratchSize(p) longs. Output and input must not overlap, except
        /// exactly (same array and offset) when <see cref="WritesOverInput"/> holds for p's shape.
        /// </summary>
        public static void Run(ConvParams p, sbyte[] input, int inputOffset, sbyte[] output, int outputOffset, long[] scratch)
        {
            p.CheckPrepared("Conv2D");
            KernelCheck.Buffer(input, inputOffset, p.InputSize, "input");
            KernelCheck.Buffer(output, outputOffset, p.OutputSize, "output");
            KernelCheck.Scratch(scratch, ScratchSize(p));
            if (p.InputChannels == 1 && p.KernelHeight == 3 && p.KernelWidth == 3) Stem3x3(p, input, inputOffset, output, outputOffset);
            else PackedConv.Run(p, input, inputOffset, output, outputOffset, scratch);
        }

        // Stem3x3: each lane holds one channel's 9 products |x w| <= 2^14 plus StemOff.
        const int StemOff = 9 * 128 * 128;
        const long StemLanes = StemOff + ((long)StemOff << 21) + ((long)StemOff << 42);
        const long LaneMask = (1L << 21) - 1;
        const long Negative = -(1L << 31);

        /// <summary>
        /// A 3x3 convolution of one input channel (the stem), direct, no scratch: output channels in
        /// groups of three, their weights packed per tap (W_t = w(c0, t) + w(c1, t) 2^21 + w(c2, t) 2^42,
        /// a repeated last channel when OutputChannels is not a multiple of 3: computed, stored over its
        /// twin with the same value), so one 64-bit multiply per input tap gives the three channels'
        /// products in 21-bit lanes (each lane stays in [0, 2 StemOff] &lt; 2^21). Per output the 9 taps
        /// are read straight from the input; a window reaching outside reads the zero point there
        /// (the contribution the folded bias expects). Requantization in DepthwiseConv2D.Run3x3's folded
        /// form, per channel: v = (lane m + rb) &gt;&gt; Shift, the [acc &lt; 0] term recomputed for
        /// outputs at or below the zero point when the clamp minimum is below it. A group with a channel
        /// outside that form (left shift, shift below -23 or 0 with such a clamp, |bias| above 2^30)
        /// goes through StemGeneric.
        /// </summary>
        static void Stem3x3(ConvParams p, sbyte[] input, int inputOffset, sbyte[] output, int outputOffset)
        {
            int inH = p.InputHeight, inW = p.InputWidth, outH = p.OutputHeight, outW = p.OutputWidth, outC = p.OutputChannels;
            int sW = p.StrideWidth, padL = p.PadLeft;
            int zp = p.InputZeroPoint, zpOut = p.OutputZeroPoint, min = p.ActivationMin, max = p.ActivationMax;
            bool exact = min < zpOut;
            int lo = exact ? zpOut + 1 : min;
            // Output columns [oxLo, oxLo + nX) have their windows inside the input's width.
            int oxLo = (padL + sW - 1) / sW, nX = 0;
            if (inW >= 3) { nX = (inW - 3 + padL) / sW + 1; if (nX > outW) nX = outW; nX -= oxLo; if (nX < 0) nX = 0; }
            int r1 = inW, r2 = inW + inW;
            sbyte[] w = p.Weights;
            for (int c0 = 0; c0 < outC; c0 += 3)
            {
                int c1 = c0 + 1 < outC ? c0 + 1 : c0, c2 = c0 + 2 < outC ? c0 + 2 : c0;
                if (!Foldable(p, c0, exact) || !Foldable(p, c1, exact) || !Foldable(p, c2, exact))
                {
                    StemGeneric(p, input, inputOffset, output, outputOffset, c0, c0 + 3 < outC ? c0 + 3 : outC);
                    continue;
                }
                int i0 = p.WeightsOffset + c0 * 9, i1 = p.WeightsOffset + c1 * 9, i2 = p.WeightsOffset + c2 * 9;
                long w00 = Pack3(w, i0, i1, i2), w01 = Pack3(w, i0 + 1, i1 + 1, i2 + 1), w02 = Pack3(w, i0 + 2, i1 + 2, i2 + 2);
                long w10 = Pack3(w, i0 + 3, i1 + 3, i2 + 3), w11 = Pack3(w, i0 + 4, i1 + 4, i2 + 4), w12 = Pack3(w, i0 + 5, i1 + 5, i2 + 5);
                long w20 = Pack3(w, i0 + 6, i1 + 6, i2 + 6), w21 = Pack3(w, i0 + 7, i1 + 7, i2 + 7), w22 = Pack3(w, i0 + 8, i1 + 8, i2 + 8);
                int sh0 = 31 - p.OutputShift[c0], sh1 = 31 - p.OutputShift[c1], sh2 = 31 - p.OutputShift[c2];
                long m0 = p.OutputMultiplier[c0], m1 = p.OutputMultiplier[c1], m2 = p.OutputMultiplier[c2];
                long bo0 = (long)p.PreparedBias[c0] - StemOff, bo1 = (long)p.PreparedBias[c1] - StemOff, bo2 = (long)p.PreparedBias[c2] - StemOff;
                long rz0 = Requantizer.Round(31 - sh0) + ((long)zpOut << sh0);
                long rz1 = Requantizer.Round(31 - sh1) + ((long)zpOut << sh1);
                long rz2 = Requantizer.Round(31 - sh2) + ((long)zpOut << sh2);
                long rb0 = bo0 * m0 + rz0, rb1 = bo1 * m1 + rz1, rb2 = bo2 * m2 + rz2;
                int e1 = c1 - c0, e2 = c2 - c0;
                int o = outputOffset + c0;
                for (int oy = 0; oy < outH; oy++)
                {
                    int iy0 = oy * p.StrideHeight - p.PadTop;
                    int nFast = iy0 >= 0 && iy0 + 3 <= inH ? nX : 0;
                    int k = inputOffset + iy0 * inW - padL; // input index of the window's first tap
                    int oEnd = o + outW * outC;
                    int ox = 0, v;
                    long a, t;
                    for (; o < oEnd; o += outC)
                    {
                        if ((uint)(ox - oxLo) < (uint)nFast)
                        {
                            a = input[k] * w00 + input[k + 1] * w01 + input[k + 2] * w02
                                + input[k + r1] * w10 + input[k + r1 + 1] * w11 + input[k + r1 + 2] * w12
                                + input[k + r2] * w20 + input[k + r2 + 1] * w21 + input[k + r2 + 2] * w22 + StemLanes;
                        }
                        else
                        {
                            // At a border: taps outside the input read the zero point.
                            int ix0 = ox * sW - padL;
                            bool y0 = iy0 >= 0 && iy0 < inH, y1 = iy0 + 1 >= 0 && iy0 + 1 < inH, y2 = iy0 + 2 >= 0 && iy0 + 2 < inH;
                            bool x0 = ix0 >= 0 && ix0 < inW, x1 = ix0 + 1 >= 0 && ix0 + 1 < inW, x2 = ix0 + 2 >= 0 && ix0 + 2 < inW;
                            a = (y0 && x0 ? input[k] : zp) * w00 + (y0 && x1 ? input[k + 1] : zp) * w01 + (y0 && x2 ? input[k + 2] : zp) * w02
                                + (y1 && x0 ? input[k + r1] : zp) * w10 + (y1 && x1 ? input[k + r1 + 1] : zp) * w11 + (y1 && x2 ? input[k + r1 + 2] : zp) * w12
                                + (y2 && x0 ? input[k + r2] : zp) * w20 + (y2 && x1 ? input[k + r2 + 1] : zp) * w21 + (y2 && x2 ? input[k + r2 + 2] : zp) * w22 + StemLanes;
                        }
                        v = (int)(((a & LaneMask) * m0 + rb0) >> sh0);
                        if (v < lo)
                        {
                            if (exact)
                            {
                                t = (a & LaneMask) + bo0;
                                v = (int)((t * m0 + rz0 + ((t >> 63) & Negative)) >> sh0);
                                if (v < min) v = min;
                                else if (v > max) v = max;
                            }
                            else v = min;
                        }
                        else if (v > max) v = max;
                        output[o] = (sbyte)v;
                        v = (int)((((a >> 21) & LaneMask) * m1 + rb1) >> sh1);
                        if (v < lo)
                        {
                            if (exact)
                            {
                                t = ((a >> 21) & LaneMask) + bo1;
                                v = (int)((t * m1 + rz1 + ((t >> 63) & Negative)) >> sh1);
                                if (v < min) v = min;
                                else if (v > max) v = max;
                            }
                            else v = min;
                        }
                        else if (v > max) v = max;
                        output[o + e1] = (sbyte)v;
                        v = (int)(((a >> 42) * m2 + rb2) >> sh2);
                        if (v < lo)
                        {
                            if (exact)
                            {
                                t = (a >> 42) + bo2;
                                v = (int)((t * m2 + rz2 + ((t >> 63) & Negative)) >> sh2);
                                if (v < min) v = min;
                                else if (v > max) v = max;
                            }
                            else v = min;
                        }
                        else if (v > max) v = max;
                        output[o + e2] = (sbyte)v;
                        ox++;
                        k += sW;
                    }
                }
            }
        }

        /// <summary>Whether channel c fits Stem3x3's folded requantization (see there).</summary>
        static bool Foldable(ConvParams p, int c, bool exact)
        {
            int s = p.OutputShift[c], b = p.PreparedBias[c];
            return s <= 0 && s >= -23 && (s < 0 || !exact) && b <= (1 << 30) && b >= -(1 << 30);
        }

        static long Pack3(sbyte[] w, int i0, int i1, int i2)
        {
            return w[i0] + ((long)w[i1] << 21) + ((long)w[i2] << 42);
        }

        /// <summary>Channels [c0, c1) of a one-channel 3x3 conv, tap by tap (zero point outside), Requantizer.Apply.</summary>
        static void StemGeneric(ConvParams p, sbyte[] input, int inputOffset, sbyte[] output, int outputOffset, int c0, int c1)
        {
            int inH = p.InputHeight, inW = p.InputWidth, outW = p.OutputWidth, outC = p.OutputChannels;
            for (int c = c0; c < c1; c++)
            {
                int wi = p.WeightsOffset + c * 9;
                for (int oy = 0; oy < p.OutputHeight; oy++)
                {
                    for (int ox = 0; ox < outW; ox++)
                    {
                        int acc = p.PreparedBias[c];
                        for (int t = 0; t < 9; t++)
                        {
                            int iy = oy * p.StrideHeight - p.PadTop + t / 3, ix = ox * p.StrideWidth - p.PadLeft + t % 3;
                            int x = iy < 0 || iy >= inH || ix < 0 || ix >= inW ? p.InputZeroPoint : input[inputOffset + iy * inW + ix];
                            acc += x * p.Weights[wi + t];
                        }
                        int v = Requantizer.Apply(acc, p.OutputMultiplier[c], p.OutputShift[c]) + p.OutputZeroPoint;
                        if (v < p.ActivationMin) v = p.ActivationMin;
                        else if (v > p.ActivationMax) v = p.ActivationMax;
                        output[outputOffset + (oy * outW + ox) * outC + c] = (sbyte)v;
                    }
                }
            }
        }
    }
}

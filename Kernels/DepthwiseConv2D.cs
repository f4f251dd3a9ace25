using System;

namespace MicroT.Runtime.Kernels
{
    /// <summary>
    /// int8 depthwise convolution, depth multiplier 1 (InputChannels == OutputChannels), any KxK
    /// (3x3 and 5x5 in practice), any stride, SAME/VALID. Weights [KH,KW,C] (TFLite 1HWC).
    /// acc = bias[c] + sum over taps (x - inZp) * w; requantized per channel like Conv2D.
    /// </summary>
    public static class DepthwiseConv2D
    {
        /// <summary>
        /// Longs of scratch Run needs: for 3x3 kernels a ring of 3 zero-point-padded input rows of one
        /// channel, 3 * ((OutputWidth - 1) * StrideWidth + 3); other kernel sizes need none.
        /// </summary>
        public static int ScratchSize(ConvParams p)
        {
            if (p == null) throw new ArgumentNullException("p");
            if (p.KernelHeight != 3 || p.KernelWidth != 3) return 0;
            return 3 * PaddedWidth(p);
        }

        static int PaddedWidth(ConvParams p)
        {
            return (p.OutputWidth - 1) * p.StrideWidth + p.KernelWidth;
        }

        static void Check(ConvParams p)
        {
            if (p == null) throw new ArgumentNullException("p");
            if (p.InputChannels != p.OutputChannels)
                throw new ArgumentException("depthwise needs InputChannels == OutputChannels (depth multiplier 1), got "
                    + p.InputChannels + " and " + p.OutputChannels, "p");
            p.Check(p.KernelHeight * p.KernelWidth * p.OutputChannels);
        }

        /// <summary>Checks the parameters and folds -InputZeroPoint * sum(w) into PreparedBias. Call once at load.</summary>
        public static void Prepare(ConvParams p)
        {
            Check(p);
            p.PreparedBias = Conv2D.FoldBias(p.Weights, p.WeightsOffset, p.Bias, p.OutputChannels,
                p.KernelHeight * p.KernelWidth, p.OutputChannels, p.InputZeroPoint);
            p.PreparedRequantizer = Requantizer.Build(p.OutputMultiplier, p.OutputShift, p.OutputChannels);
        }

        /// <summary>Plain reference: the TFLite reference loop nest, no preparation needed.</summary>
        public static void Reference(ConvParams p, sbyte[] input, int inputOffset, sbyte[] output, int outputOffset)
        {
            Check(p);
            KernelCheck.Buffer(input, inputOffset, p.InputSize, "input");
            KernelCheck.Buffer(output, outputOffset, p.OutputSize, "output");
            int inH = p.InputHeight, inW = p.InputWidth, c = p.OutputChannels;
            for (int oy = 0; oy < p.OutputHeight; oy++)
            {
                for (int ox = 0; ox < p.OutputWidth; ox++)
                {
                    for (int ch = 0; ch < c; ch++)
                    {
                        int acc = p.Bias == null ? 0 : p.Bias[ch];
                        for (int ky = 0; ky < p.KernelHeight; ky++)
                        {
                            int iy = oy * p.StrideHeight - p.PadTop + ky;
                            if (iy < 0 || iy >= inH) continue;
                            for (int kx = 0; kx < p.KernelWidth; kx++)
                            {
                                int ix = ox * p.StrideWidth - p.PadLeft + kx;
                                if (ix < 0 || ix >= inW) continue;
                                int x = input[inputOffset + (iy * inW + ix) * c + ch];
                                int w = p.Weights[p.WeightsOffset + (ky * p.KernelWidth + kx) * c + ch];
                                acc += (x - p.InputZeroPoint) * w;
                            }
                        }
                        output[outputOffset + (oy * p.OutputWidth + ox) * c + ch] = Conv2D.Requantize(acc,
                            p.OutputMultiplier[ch], p.OutputShift[ch], p.OutputZeroPoint, p.ActivationMin, p.ActivationMax);
                    }
                }
            }
        }

        /// <summary>
        /// Tuned path (needs Prepare). 3x3: channel by channel, the input rows are copied into a ring
        /// of 3 zero-point-padded rows in scratch (so no output needs a border check), the 9 weights
        /// and the requantization constants sit in locals, and each output is one expression of 9
        /// loads and multiplies plus the one-multiply requantization. Other sizes: a plain loop.
        /// Bit-exact with Reference. Allocates nothing.
        /// </summary>
        public static void Run(ConvParams p, sbyte[] input, int inputOffset, sbyte[] output, int outputOffset, long[] scratch)
        {
            Conv2D.CheckPrepared(p, "DepthwiseConv2D");
            if (p.InputChannels != p.OutputChannels)
                throw new InvalidOperationException("DepthwiseConv2D.Prepare must be called before Run (InputChannels == OutputChannels)");
            KernelCheck.Buffer(input, inputOffset, p.InputSize, "input");
            KernelCheck.Buffer(output, outputOffset, p.OutputSize, "output");
            KernelCheck.Scratch(scratch, ScratchSize(p));
            if (p.KernelHeight == 3 && p.KernelWidth == 3) Run3x3(p, input, inputOffset, output, outputOffset, scratch);
            else RunGeneric(p, input, inputOffset, output, outputOffset);
        }

        static void Run3x3(ConvParams p, sbyte[] input, int inputOffset, sbyte[] output, int outputOffset, long[] s)
        {
            int c = p.OutputChannels, inH = p.InputHeight, inW = p.InputWidth;
            int outH = p.OutputHeight, outW = p.OutputWidth, sH = p.StrideHeight, sW = p.StrideWidth;
            int padT = p.PadTop, padL = p.PadLeft;
            int wp = PaddedWidth(p);
            int zp = p.InputZeroPoint, zpOut = p.OutputZeroPoint, min = p.ActivationMin, max = p.ActivationMax;
            Requantizer rq = p.PreparedRequantizer;
            sbyte[] weights = p.Weights;
            for (int ch = 0; ch < c; ch++)
            {
                int wi = p.WeightsOffset + ch;
                long w00 = weights[wi], w01 = weights[wi + c], w02 = weights[wi + 2 * c];
                long w10 = weights[wi + 3 * c], w11 = weights[wi + 4 * c], w12 = weights[wi + 5 * c];
                long w20 = weights[wi + 6 * c], w21 = weights[wi + 7 * c], w22 = weights[wi + 8 * c];
                long b = p.PreparedBias[ch];
                long mul = rq.Multiplier[ch], rnd = rq.Round[ch], neg = rq.Negative[ch];
                int left = rq.Left[ch], sh = rq.Shift[ch];
                int nextRow = 0; // next padded row to copy into the ring
                for (int oy = 0; oy < outH; oy++)
                {
                    int py0 = oy * sH;
                    if (nextRow < py0) nextRow = py0;
                    for (; nextRow < py0 + 3; nextRow++)
                        FillRow(s, (nextRow % 3) * wp, wp, nextRow - padT, padL, input, inputOffset, inH, inW, c, ch, zp);
                    int r0 = (py0 % 3) * wp, r1 = ((py0 + 1) % 3) * wp, r2 = ((py0 + 2) % 3) * wp;
                    int q01 = r0 + 1, q02 = r0 + 2, q11 = r1 + 1, q12 = r1 + 2, q21 = r2 + 1, q22 = r2 + 2;
                    int o = outputOffset + oy * outW * c + ch;
                    int oEnd = o + outW * c;
                    int x = 0;
                    if (sW == 1 && left == 0)
                    {
                        // Stride 1: three outputs per step share a sliding 3x5 window held in locals,
                        // so each input value is loaded once per output row instead of three times.
                        int q03 = r0 + 3, q04 = r0 + 4, q13 = r1 + 3, q14 = r1 + 4, q23 = r2 + 3, q24 = r2 + 4;
                        long p00 = s[r0], p01 = s[q01], p10 = s[r1], p11 = s[q11], p20 = s[r2], p21 = s[q21];
                        int c2 = c + c, c3 = c2 + c;
                        int tripleEnd = o + (outW - outW % 3) * c;
                        while (o < tripleEnd)
                        {
                            long p02 = s[x + q02], p12 = s[x + q12], p22 = s[x + q22];
                            long p03 = s[x + q03], p13 = s[x + q13], p23 = s[x + q23];
                            long p04 = s[x + q04], p14 = s[x + q14], p24 = s[x + q24];
                            int a0 = (int)(b + p00 * w00 + p01 * w01 + p02 * w02 + p10 * w10 + p11 * w11 + p12 * w12 + p20 * w20 + p21 * w21 + p22 * w22);
                            int a1 = (int)(b + p01 * w00 + p02 * w01 + p03 * w02 + p11 * w10 + p12 * w11 + p13 * w12 + p21 * w20 + p22 * w21 + p23 * w22);
                            int a2 = (int)(b + p02 * w00 + p03 * w01 + p04 * w02 + p12 * w10 + p13 * w11 + p14 * w12 + p22 * w20 + p23 * w21 + p24 * w22);
                            int v = (int)((a0 * mul + rnd + ((a0 >> 31) & neg)) >> sh) + zpOut;
                            if (v < min) v = min;
                            else if (v > max) v = max;
                            output[o] = (sbyte)v;
                            v = (int)((a1 * mul + rnd + ((a1 >> 31) & neg)) >> sh) + zpOut;
                            if (v < min) v = min;
                            else if (v > max) v = max;
                            output[o + c] = (sbyte)v;
                            v = (int)((a2 * mul + rnd + ((a2 >> 31) & neg)) >> sh) + zpOut;
                            if (v < min) v = min;
                            else if (v > max) v = max;
                            output[o + c2] = (sbyte)v;
                            p00 = p03; p01 = p04; p10 = p13; p11 = p14; p20 = p23; p21 = p24;
                            o += c3;
                            x += 3;
                        }
                    }
                    for (; o < oEnd; o += c)
                    {
                        long a = b + s[x + r0] * w00 + s[x + q01] * w01 + s[x + q02] * w02
                                   + s[x + r1] * w10 + s[x + q11] * w11 + s[x + q12] * w12
                                   + s[x + r2] * w20 + s[x + q21] * w21 + s[x + q22] * w22;
                        int ai = (int)a << left; // int32 arithmetic (wraps like Reference and TFLite)
                        int v = (int)((ai * mul + rnd + ((ai >> 31) & neg)) >> sh) + zpOut;
                        if (v < min) v = min;
                        else if (v > max) v = max;
                        output[o] = (sbyte)v;
                        x += sW;
                    }
                }
            }
        }

        /// <summary>Copies input row iy of channel ch into s[at..at+wp) with padL zero-point values before it.</summary>
        static void FillRow(long[] s, int at, int wp, int iy, int padL, sbyte[] input, int inputOffset, int inH, int inW, int c, int ch, int zp)
        {
            int end = at + wp;
            if (iy < 0 || iy >= inH)
            {
                for (int i = at; i < end; i++) s[i] = zp;
                return;
            }
            int i0 = at;
            for (int k = 0; k < padL; k++) s[i0++] = zp;
            int copyEnd = i0 + inW;
            if (copyEnd > end) copyEnd = end;
            int src = inputOffset + iy * inW * c + ch;
            for (; i0 < copyEnd; i0++)
            {
                s[i0] = input[src];
                src += c;
            }
            for (; i0 < end; i0++) s[i0] = zp;
        }

        static void RunGeneric(ConvParams p, sbyte[] input, int inputOffset, sbyte[] output, int outputOffset)
        {
            int inH = p.InputHeight, inW = p.InputWidth, c = p.OutputChannels;
            int zp = p.InputZeroPoint;
            sbyte[] weights = p.Weights;
            Requantizer rq = p.PreparedRequantizer;
            int o = outputOffset;
            for (int oy = 0; oy < p.OutputHeight; oy++)
            {
                int iy0 = oy * p.StrideHeight - p.PadTop;
                for (int ox = 0; ox < p.OutputWidth; ox++)
                {
                    int ix0 = ox * p.StrideWidth - p.PadLeft;
                    for (int ch = 0; ch < c; ch++)
                    {
                        int acc = p.PreparedBias[ch];
                        int wi = p.WeightsOffset + ch;
                        for (int ky = 0; ky < p.KernelHeight; ky++)
                        {
                            int iy = iy0 + ky;
                            for (int kx = 0; kx < p.KernelWidth; kx++)
                            {
                                int ix = ix0 + kx;
                                int x = (iy < 0 || iy >= inH || ix < 0 || ix >= inW) ? zp : input[inputOffset + (iy * inW + ix) * c + ch];
                                acc += x * weights[wi];
                                wi += c;
                            }
                        }
                        int v = rq.Apply(acc, ch) + p.OutputZeroPoint;
                        if (v < p.ActivationMin) v = p.ActivationMin;
                        else if (v > p.ActivationMax) v = p.ActivationMax;
                        output[o++] = (sbyte)v;
                    }
                }
            }
        }
    }
}

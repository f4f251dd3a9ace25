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
        /// <summary>Run needs no scratch (it reads the input in place).</summary>
        public static int ScratchSize(ConvParams p)
        {
            if (p == null) throw new ArgumentNullException("p");
            return 0;
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
        /// Tuned path (needs Prepare). 3x3: Run3x3, in place, no scratch. Other sizes, and channels
        /// with a left shift: RunGeneric.
        /// Bit-exact with Reference (int32 arithmetic, wrapping alike). Allocates nothing. scratch may be null.
        /// </summary>
        public static void Run(ConvParams p, sbyte[] input, int inputOffset, sbyte[] output, int outputOffset, long[] scratch)
        {
            Conv2D.CheckPrepared(p, "DepthwiseConv2D");
            if (p.InputChannels != p.OutputChannels)
                throw new InvalidOperationException("DepthwiseConv2D.Prepare must be called before Run (InputChannels == OutputChannels)");
            KernelCheck.Buffer(input, inputOffset, p.InputSize, "input");
            KernelCheck.Buffer(output, outputOffset, p.OutputSize, "output");
            if (p.KernelHeight == 3 && p.KernelWidth == 3) Run3x3(p, input, inputOffset, output, outputOffset);
            else RunGeneric(p, input, inputOffset, output, outputOffset, 0, p.OutputChannels);
        }

        /// <summary>
        /// 3x3 in place: no copy of the input, no scratch. Per channel the 9 weights and the
        /// requantization constants are locals (channels with a left shift take RunGeneric). Per
        /// output row the three input rows are read straight from the activation: a row above or below
        /// the input gets weight 0 and its contribution zp * (row weights), which the folded bias
        /// expects, moves into the row's bias. Along the row a window of input columns slides in
        /// locals; a column left or right of the input holds the zero point (its contribution is then
        /// exactly the one the folded bias expects). Stride 1: 3 outputs per step from 5 columns;
        /// stride 2: 2 outputs per step from 5 columns (the shared column carried over); the outputs
        /// before and after the steps (borders, remainders) one by one, still sliding.
        /// </summary>
        static void Run3x3(ConvParams p, sbyte[] input, int inputOffset, sbyte[] output, int outputOffset)
        {
            int c = p.OutputChannels, inH = p.InputHeight, inW = p.InputWidth;
            int outH = p.OutputHeight, outW = p.OutputWidth, sH = p.StrideHeight, sW = p.StrideWidth;
            int padL = p.PadLeft;
            int zp = p.InputZeroPoint, zpOut = p.OutputZeroPoint, min = p.ActivationMin, max = p.ActivationMax;
            int rowStride = inW * c, c2 = c + c, c3 = c2 + c, c4 = c3 + c;
            // Outputs [0, fast) go in steps whose columns are all inside the input.
            int fast = 0;
            if (sW == 1) { int lim = outW - 3 < inW - 5 + padL ? outW - 3 : inW - 5 + padL; fast = lim < 0 ? 0 : (lim / 3 + 1) * 3; }
            else if (sW == 2 && padL <= 1) { int lim = inW - 5 + padL; lim = lim < 0 ? -1 : lim / 2; if (outW - 2 < lim) lim = outW - 2; fast = lim < 0 ? 0 : (lim / 2 + 1) * 2; }
            sbyte[] weights = p.Weights;
            for (int ch = 0; ch < c; ch++)
            {
                int s = p.OutputShift[ch];
                if (s > 0)
                {
                    RunGeneric(p, input, inputOffset, output, outputOffset, ch, ch + 1);
                    continue;
                }
                long mul = p.OutputMultiplier[ch], rnd = Requantizer.Round(s), neg = Requantizer.Negative(s);
                int sh = Requantizer.RightShift(s);
                int wi = p.WeightsOffset + ch;
                int w00 = weights[wi], w01 = weights[wi + c], w02 = weights[wi + c2];
                int w10 = weights[wi + c3], w11 = weights[wi + c4], w12 = weights[wi + c4 + c];
                int w20 = weights[wi + c4 + c2], w21 = weights[wi + c4 + c3], w22 = weights[wi + c4 + c4];
                int b = p.PreparedBias[ch];
                for (int oy = 0; oy < outH; oy++)
                {
                    int iy = oy * sH - p.PadTop;
                    int br = b, q0 = iy, q1 = iy + 1, q2 = iy + 2;
                    int e00 = w00, e01 = w01, e02 = w02, e10 = w10, e11 = w11, e12 = w12, e20 = w20, e21 = w21, e22 = w22;
                    if (iy < 0 || iy + 2 >= inH)
                    {
                        // A row outside the input: weight 0, zp * (its weights) into the bias, read a clamped row.
                        if (q0 < 0 || q0 >= inH) { br += zp * (e00 + e01 + e02); e00 = 0; e01 = 0; e02 = 0; q0 = q0 < 0 ? 0 : inH - 1; }
                        if (q1 < 0 || q1 >= inH) { br += zp * (e10 + e11 + e12); e10 = 0; e11 = 0; e12 = 0; q1 = q1 < 0 ? 0 : inH - 1; }
                        if (q2 < 0 || q2 >= inH) { br += zp * (e20 + e21 + e22); e20 = 0; e21 = 0; e22 = 0; q2 = q2 < 0 ? 0 : inH - 1; }
                    }
                    int d1 = (q1 - q0) * rowStride, d2 = (q2 - q0) * rowStride;
                    int cx = -padL; // input column of the window's first column
                    int xi = inputOffset + q0 * rowStride + cx * c + ch; // its index in row q0 (maybe before the row)
                    int o = outputOffset + oy * outW * c + ch;
                    int v, a;
                    // The window's first two columns (zero point outside the input).
                    int p00 = zp, p10 = zp, p20 = zp, p01 = zp, p11 = zp, p21 = zp;
                    if (cx >= 0) { p00 = input[xi]; p10 = input[xi + d1]; p20 = input[xi + d2]; }
                    if (cx + 1 >= 0 && cx + 1 < inW) { p01 = input[xi + c]; p11 = input[xi + d1 + c]; p21 = input[xi + d2 + c]; }
                    int p02, p12, p22, p03, p13, p23, p04, p14, p24;
                    int end = o + fast * c;
                    if (sW == 1)
                    {
                        int d02 = c2, d03 = c3, d04 = c4, d12 = d1 + c2, d13 = d1 + c3, d14 = d1 + c4, d22 = d2 + c2, d23 = d2 + c3, d24 = d2 + c4;
                        int dOut = o - xi;
                        end -= dOut; // the step loop runs on xi; output index = xi + dOut
                        while (xi < end)
                        {
                            p02 = input[xi + d02]; p03 = input[xi + d03]; p04 = input[xi + d04];
                            p12 = input[xi + d12]; p13 = input[xi + d13]; p14 = input[xi + d14];
                            p22 = input[xi + d22]; p23 = input[xi + d23]; p24 = input[xi + d24];
                            a = br + p00 * e00 + p01 * e01 + p02 * e02 + p10 * e10 + p11 * e11 + p12 * e12 + p20 * e20 + p21 * e21 + p22 * e22;
                            v = (int)((a * mul + rnd + ((a >> 31) & neg)) >> sh) + zpOut;
                            if (v < min) v = min;
                            else if (v > max) v = max;
                            output[xi + dOut] = (sbyte)v;
                            a = br + p01 * e00 + p02 * e01 + p03 * e02 + p11 * e10 + p12 * e11 + p13 * e12 + p21 * e20 + p22 * e21 + p23 * e22;
                            v = (int)((a * mul + rnd + ((a >> 31) & neg)) >> sh) + zpOut;
                            if (v < min) v = min;
                            else if (v > max) v = max;
                            output[xi + dOut + c] = (sbyte)v;
                            a = br + p02 * e00 + p03 * e01 + p04 * e02 + p12 * e10 + p13 * e11 + p14 * e12 + p22 * e20 + p23 * e21 + p24 * e22;
                            v = (int)((a * mul + rnd + ((a >> 31) & neg)) >> sh) + zpOut;
                            if (v < min) v = min;
                            else if (v > max) v = max;
                            output[xi + dOut + c2] = (sbyte)v;
                            p00 = p03; p01 = p04; p10 = p13; p11 = p14; p20 = p23; p21 = p24;
                            xi += c3;
                        }
                        o = xi + dOut;
                        cx += fast;
                        // The rest one by one: the window slides by one column.
                        end = outputOffset + (oy + 1) * outW * c + ch;
                        for (; o < end; o += c)
                        {
                            p02 = zp; p12 = zp; p22 = zp;
                            if (cx + 2 < inW) { p02 = input[xi + c2]; p12 = input[xi + d1 + c2]; p22 = input[xi + d2 + c2]; }
                            a = br + p00 * e00 + p01 * e01 + p02 * e02 + p10 * e10 + p11 * e11 + p12 * e12 + p20 * e20 + p21 * e21 + p22 * e22;
                            v = (int)((a * mul + rnd + ((a >> 31) & neg)) >> sh) + zpOut;
                            if (v < min) v = min;
                            else if (v > max) v = max;
                            output[o] = (sbyte)v;
                            p00 = p01; p01 = p02; p10 = p11; p11 = p12; p20 = p21; p21 = p22;
                            xi += c;
                            cx++;
                        }
                    }
                    else if (sW == 2)
                    {
                        int d01 = c, d02 = c2, d03 = c3, d04 = c4, d11 = d1 + c, d12 = d1 + c2, d13 = d1 + c3, d14 = d1 + c4;
                        int d21 = d2 + c, d22 = d2 + c2, d23 = d2 + c3, d24 = d2 + c4;
                        while (o < end)
                        {
                            p01 = input[xi + d01]; p02 = input[xi + d02]; p03 = input[xi + d03]; p04 = input[xi + d04];
                            p11 = input[xi + d11]; p12 = input[xi + d12]; p13 = input[xi + d13]; p14 = input[xi + d14];
                            p21 = input[xi + d21]; p22 = input[xi + d22]; p23 = input[xi + d23]; p24 = input[xi + d24];
                            a = br + p00 * e00 + p01 * e01 + p02 * e02 + p10 * e10 + p11 * e11 + p12 * e12 + p20 * e20 + p21 * e21 + p22 * e22;
                            v = (int)((a * mul + rnd + ((a >> 31) & neg)) >> sh) + zpOut;
                            if (v < min) v = min;
                            else if (v > max) v = max;
                            output[o] = (sbyte)v;
                            a = br + p02 * e00 + p03 * e01 + p04 * e02 + p12 * e10 + p13 * e11 + p14 * e12 + p22 * e20 + p23 * e21 + p24 * e22;
                            v = (int)((a * mul + rnd + ((a >> 31) & neg)) >> sh) + zpOut;
                            if (v < min) v = min;
                            else if (v > max) v = max;
                            output[o + c] = (sbyte)v;
                            p00 = p04; p10 = p14; p20 = p24;
                            xi += c4;
                            o += c2;
                        }
                        cx += 2 * fast;
                        // The rest one by one: the window slides by two columns.
                        end = outputOffset + (oy + 1) * outW * c + ch;
                        for (; o < end; o += c)
                        {
                            p01 = zp; p11 = zp; p21 = zp; p02 = zp; p12 = zp; p22 = zp;
                            if (cx + 1 >= 0 && cx + 1 < inW) { p01 = input[xi + c]; p11 = input[xi + d1 + c]; p21 = input[xi + d2 + c]; }
                            if (cx + 2 < inW) { p02 = input[xi + c2]; p12 = input[xi + d1 + c2]; p22 = input[xi + d2 + c2]; }
                            a = br + p00 * e00 + p01 * e01 + p02 * e02 + p10 * e10 + p11 * e11 + p12 * e12 + p20 * e20 + p21 * e21 + p22 * e22;
                            v = (int)((a * mul + rnd + ((a >> 31) & neg)) >> sh) + zpOut;
                            if (v < min) v = min;
                            else if (v > max) v = max;
                            output[o] = (sbyte)v;
                            p00 = p02; p10 = p12; p20 = p22;
                            xi += c2;
                            cx += 2;
                        }
                    }
                    else
                    {
                        // Stride 3 and more: windows share no column; each output loads its own.
                        end = outputOffset + (oy + 1) * outW * c + ch;
                        for (; o < end; o += c)
                        {
                            p00 = zp; p10 = zp; p20 = zp; p01 = zp; p11 = zp; p21 = zp; p02 = zp; p12 = zp; p22 = zp;
                            if (cx >= 0 && cx < inW) { p00 = input[xi]; p10 = input[xi + d1]; p20 = input[xi + d2]; }
                            if (cx + 1 >= 0 && cx + 1 < inW) { p01 = input[xi + c]; p11 = input[xi + d1 + c]; p21 = input[xi + d2 + c]; }
                            if (cx + 2 < inW) { p02 = input[xi + c2]; p12 = input[xi + d1 + c2]; p22 = input[xi + d2 + c2]; }
                            a = br + p00 * e00 + p01 * e01 + p02 * e02 + p10 * e10 + p11 * e11 + p12 * e12 + p20 * e20 + p21 * e21 + p22 * e22;
                            v = (int)((a * mul + rnd + ((a >> 31) & neg)) >> sh) + zpOut;
                            if (v < min) v = min;
                            else if (v > max) v = max;
                            output[o] = (sbyte)v;
                            xi += sW * c;
                            cx += sW;
                        }
                    }
                }
            }
        }

        /// <summary>Channels [ch0, ch1) with a plain loop (bounds checks per tap); any kernel size and shift.</summary>
        static void RunGeneric(ConvParams p, sbyte[] input, int inputOffset, sbyte[] output, int outputOffset, int ch0, int ch1)
        {
            int inH = p.InputHeight, inW = p.InputWidth, c = p.OutputChannels, outW = p.OutputWidth;
            int zp = p.InputZeroPoint;
            sbyte[] weights = p.Weights;
            for (int ch = ch0; ch < ch1; ch++)
            {
                int m = p.OutputMultiplier[ch], s = p.OutputShift[ch];
                for (int oy = 0; oy < p.OutputHeight; oy++)
                {
                    int iy0 = oy * p.StrideHeight - p.PadTop;
                    int o = outputOffset + oy * outW * c + ch;
                    for (int ox = 0; ox < outW; ox++, o += c)
                    {
                        int ix0 = ox * p.StrideWidth - p.PadLeft;
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
                        int v = Requantizer.Apply(acc, m, s) + p.OutputZeroPoint;
                        if (v < p.ActivationMin) v = p.ActivationMin;
                        else if (v > p.ActivationMax) v = p.ActivationMax;
                        output[o] = (sbyte)v;
                    }
                }
            }
        }
    }
}

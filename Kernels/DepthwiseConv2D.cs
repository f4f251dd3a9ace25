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
        /// Tuned path (needs Prepare). 3x3 (padding 0 or 1 per side, width &gt;= 2): Run3x3, in place,
        /// no scratch. Other sizes and geometries, and channels with a left shift: RunGeneric.
        /// Bit-exact with Reference (int32 arithmetic, wrapping alike). Allocates nothing. scratch may be null.
        /// </summary>
        public static void Run(ConvParams p, sbyte[] input, int inputOffset, sbyte[] output, int outputOffset, long[] scratch)
        {
            Conv2D.CheckPrepared(p, "DepthwiseConv2D");
            if (p.InputChannels != p.OutputChannels)
                throw new InvalidOperationException("DepthwiseConv2D.Prepare must be called before Run (InputChannels == OutputChannels)");
            KernelCheck.Buffer(input, inputOffset, p.InputSize, "input");
            KernelCheck.Buffer(output, outputOffset, p.OutputSize, "output");
            if (p.KernelHeight != 3 || p.KernelWidth != 3 || !Run3x3(p, input, inputOffset, output, outputOffset))
                RunGeneric(p, input, inputOffset, output, outputOffset, 0, p.OutputChannels);
        }

        /// <summary>
        /// 3x3, left shift 0 (effective scale &lt; 1, every real layer), in place: no copy of the input.
        /// Per channel the 9 weights and the requantization constants are locals; per output row the
        /// three input rows are read straight from the activation (a row above or below the input
        /// gets weight 0 and its zero-point contribution moves into the row's bias), interior outputs
        /// come in steps sharing a sliding window (stride 1: 3 outputs from 5 columns; stride 2: 2
        /// outputs from 5 columns, the shared column carried over), and the at most one left and one
        /// right border output per row have their own expressions with the missing column's
        /// zero-point contribution folded in. Channels with a left shift take RunGeneric.
        /// Returns false (nothing written) when the geometry is outside this path (padding above 1,
        /// width 1): the caller then runs RunGeneric.
        /// </summary>
        static bool Run3x3(ConvParams p, sbyte[] input, int inputOffset, sbyte[] output, int outputOffset)
        {
            int c = p.OutputChannels, inH = p.InputHeight, inW = p.InputWidth;
            int outH = p.OutputHeight, outW = p.OutputWidth, sH = p.StrideHeight, sW = p.StrideWidth;
            int padL = p.PadLeft;
            // Interior outputs [first, last): all three columns inside. At most one border output per side.
            int first = padL > 0 ? 1 : 0;
            int lim = inW - 3 + padL;
            int last = lim < 0 ? 0 : lim / sW + 1;
            if (last > outW) last = outW;
            if (last < first) last = first;
            if (padL > 1 || inW < 2 || first > outW || outW - last > 1 || (outW > last && last * sW - padL + 2 != inW))
                return false;
            bool right = outW > last;
            int zp = p.InputZeroPoint, zpOut = p.OutputZeroPoint, min = p.ActivationMin, max = p.ActivationMax;
            int rowStride = inW * c, c2 = c + c, c3 = c2 + c, c4 = c3 + c;
            int dOut = outputOffset - inputOffset; // output index - input index at the same (row base, x)
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
                int b = p.PreparedBias[ch];
                for (int oy = 0; oy < outH; oy++)
                {
                    int iy = oy * sH - p.PadTop;
                    int br = b, e00, e01, e02, e10, e11, e12, e20, e21, e22, q0, q1, q2;
                    // Row k of the window: inside -> its weights; outside -> weight 0 and zp * (row sum) in the bias,
                    // read from a clamped (valid) row.
                    e00 = weights[wi]; e01 = weights[wi + c]; e02 = weights[wi + c2];
                    if (iy < 0 || iy >= inH) { br += zp * (e00 + e01 + e02); e00 = 0; e01 = 0; e02 = 0; q0 = iy < 0 ? 0 : inH - 1; }
                    else q0 = iy;
                    e10 = weights[wi + c3]; e11 = weights[wi + c4]; e12 = weights[wi + c4 + c];
                    if (iy + 1 < 0 || iy + 1 >= inH) { br += zp * (e10 + e11 + e12); e10 = 0; e11 = 0; e12 = 0; q1 = iy + 1 < 0 ? 0 : inH - 1; }
                    else q1 = iy + 1;
                    e20 = weights[wi + c4 + c2]; e21 = weights[wi + c4 + c3]; e22 = weights[wi + c4 + c4];
                    if (iy + 2 < 0 || iy + 2 >= inH) { br += zp * (e20 + e21 + e22); e20 = 0; e21 = 0; e22 = 0; q2 = iy + 2 < 0 ? 0 : inH - 1; }
                    else q2 = iy + 2;
                    // Input indices of column (first * sW - padL) of the three rows, relative to row 0 (d1, d2).
                    int xi = inputOffset + q0 * rowStride + (first * sW - padL) * c + ch;
                    int d1 = (q1 - q0) * rowStride, d2 = (q2 - q0) * rowStride;
                    int o = outputOffset + oy * outW * c + ch;
                    int v, a;
                    if (first > 0)
                    {
                        // Left border: column -1 is padding.
                        int x0 = xi - (sW - 1) * c; // input column 0 (xi is at column sW - 1)
                        a = br + zp * (e00 + e10 + e20)
                            + input[x0] * e01 + input[x0 + c] * e02
                            + input[x0 + d1] * e11 + input[x0 + d1 + c] * e12
                            + input[x0 + d2] * e21 + input[x0 + d2 + c] * e22;
                        v = (int)((a * mul + rnd + ((a >> 31) & neg)) >> sh) + zpOut;
                        if (v < min) v = min;
                        else if (v > max) v = max;
                        output[o] = (sbyte)v;
                        o += c;
                    }
                    // Stride 1: output index = input index + dRow in this row's interior.
                    int dRow = o - xi;
                    int end = xi + (last - first) * sW * c;
                    int p00, p01, p02, p03, p04, p10, p11, p12, p13, p14, p20, p21, p22, p23, p24;
                    if (sW == 1)
                    {
                        int d10 = d1, d11 = d1 + c, d20 = d2, d21 = d2 + c;
                        int d02 = c2, d03 = c3, d04 = c4, d12 = d1 + c2, d13 = d1 + c3, d14 = d1 + c4, d22 = d2 + c2, d23 = d2 + c3, d24 = d2 + c4;
                        int e1 = dRow + c, e2 = dRow + c2;
                        p00 = 0; p01 = 0; p10 = 0; p11 = 0; p20 = 0; p21 = 0;
                        if (xi < end) { p00 = input[xi]; p01 = input[xi + c]; p10 = input[xi + d10]; p11 = input[xi + d11]; p20 = input[xi + d20]; p21 = input[xi + d21]; }
                        int tripleEnd = xi + ((last - first) / 3) * c3;
                        while (xi < tripleEnd)
                        {
                            p02 = input[xi + d02]; p03 = input[xi + d03]; p04 = input[xi + d04];
                            p12 = input[xi + d12]; p13 = input[xi + d13]; p14 = input[xi + d14];
                            p22 = input[xi + d22]; p23 = input[xi + d23]; p24 = input[xi + d24];
                            a = br + p00 * e00 + p01 * e01 + p02 * e02 + p10 * e10 + p11 * e11 + p12 * e12 + p20 * e20 + p21 * e21 + p22 * e22;
                            v = (int)((a * mul + rnd + ((a >> 31) & neg)) >> sh) + zpOut;
                            if (v < min) v = min;
                            else if (v > max) v = max;
                            output[xi + dRow] = (sbyte)v;
                            a = br + p01 * e00 + p02 * e01 + p03 * e02 + p11 * e10 + p12 * e11 + p13 * e12 + p21 * e20 + p22 * e21 + p23 * e22;
                            v = (int)((a * mul + rnd + ((a >> 31) & neg)) >> sh) + zpOut;
                            if (v < min) v = min;
                            else if (v > max) v = max;
                            output[xi + e1] = (sbyte)v;
                            a = br + p02 * e00 + p03 * e01 + p04 * e02 + p12 * e10 + p13 * e11 + p14 * e12 + p22 * e20 + p23 * e21 + p24 * e22;
                            v = (int)((a * mul + rnd + ((a >> 31) & neg)) >> sh) + zpOut;
                            if (v < min) v = min;
                            else if (v > max) v = max;
                            output[xi + e2] = (sbyte)v;
                            p00 = p03; p01 = p04; p10 = p13; p11 = p14; p20 = p23; p21 = p24;
                            xi += c3;
                        }
                        o = xi + dRow;
                    }
                    else if (sW == 2)
                    {
                        int d10 = d1, d20 = d2;
                        int d01 = c, d02 = c2, d03 = c3, d04 = c4, d11 = d1 + c, d12 = d1 + c2, d13 = d1 + c3, d14 = d1 + c4;
                        int d21 = d2 + c, d22 = d2 + c2, d23 = d2 + c3, d24 = d2 + c4;
                        p00 = 0; p10 = 0; p20 = 0;
                        if (xi < end) { p00 = input[xi]; p10 = input[xi + d10]; p20 = input[xi + d20]; }
                        int pairEnd = xi + ((last - first) >> 1) * c4;
                        while (xi < pairEnd)
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
                    }
                    // Remaining interior outputs one by one (any stride).
                    int step = sW * c;
                    for (; xi < end; xi += step, o += c)
                    {
                        a = br + input[xi] * e00 + input[xi + c] * e01 + input[xi + c2] * e02
                            + input[xi + d1] * e10 + input[xi + d1 + c] * e11 + input[xi + d1 + c2] * e12
                            + input[xi + d2] * e20 + input[xi + d2 + c] * e21 + input[xi + d2 + c2] * e22;
                        v = (int)((a * mul + rnd + ((a >> 31) & neg)) >> sh) + zpOut;
                        if (v < min) v = min;
                        else if (v > max) v = max;
                        output[o] = (sbyte)v;
                    }
                    if (right)
                    {
                        // Right border: column inW is padding; xi is at column inW - 2.
                        a = br + zp * (e02 + e12 + e22)
                            + input[xi] * e00 + input[xi + c] * e01
                            + input[xi + d1] * e10 + input[xi + d1 + c] * e11
                            + input[xi + d2] * e20 + input[xi + d2 + c] * e21;
                        v = (int)((a * mul + rnd + ((a >> 31) & neg)) >> sh) + zpOut;
                        if (v < min) v = min;
                        else if (v > max) v = max;
                        output[o] = (sbyte)v;
                    }
                }
            }
            return true;
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

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
            p.PreparedBias = Quantization.FoldBias(p.Weights, p.WeightsOffset, p.Bias, p.OutputChannels,
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
                        output[outputOffset + (oy * p.OutputWidth + ox) * c + ch] = Quantization.Requantize(acc,
                            p.OutputMultiplier[ch], p.OutputShift[ch], p.OutputZeroPoint, p.ActivationMin, p.ActivationMax);
                    }
                }
            }
        }

        /// <summary>
        /// Tuned path (needs Prepare). 3x3 at stride width 1 or 2: Run3x3, in place, no scratch. Other
        /// sizes and strides, and the channels Run3x3 leaves out (left shift, shift below -23, |bias| above
        /// 2^30): RunGeneric.
        /// Bit-exact with Reference (int32 arithmetic, wrapping alike). Allocates nothing. scratch may be null.
        /// </summary>
        public static void Run(ConvParams p, sbyte[] input, int inputOffset, sbyte[] output, int outputOffset, long[] scratch)
        {
            if (p == null) throw new ArgumentNullException("p");
            p.CheckPrepared("DepthwiseConv2D");
            if (p.InputChannels != p.OutputChannels)
                throw new InvalidOperationException("DepthwiseConv2D.Prepare must be called before Run (InputChannels == OutputChannels)");
            KernelCheck.Buffer(input, inputOffset, p.InputSize, "input");
            KernelCheck.Buffer(output, outputOffset, p.OutputSize, "output");
            if (p.KernelHeight == 3 && p.KernelWidth == 3 && p.StrideWidth <= 2) Run3x3(p, input, inputOffset, output, outputOffset);
            else RunGeneric(p, input, inputOffset, output, outputOffset, 0, p.OutputChannels);
        }

        // Packed columns (Run3x3). One 64-bit multiply of an input by a packed weight gives its
        // products for up to three outputs in 21-bit lanes. A step adds, for each of the 3 kernel
        // rows, at most one product per lane and input column: |x w| <= 128 * 128, so a column's
        // three rows lie in [-Off, Off] per lane. Each step adds Off per lane (stride 2: 2 Off to
        // lane 0, which gets two columns), so every lane stays in [0, 6 Off] < 2^21 and the lanes
        // never carry: S >> 21 moves lane 1 to lane 0 exactly. An extracted lane holds 3 Off.
        const int Off = 3 * 128 * 128;
        const long Off3 = Off + ((long)Off << 21) + ((long)Off << 42);
        const long Off2 = 2 * Off + ((long)Off << 21);
        const int OffTotal = 3 * Off;
        const long LaneMask = (1L << 21) - 1;
        const long Negative = -(1L << 31);

        /// <summary>
        /// 3x3 in place: no copy of the input, no scratch. Per channel the weights are packed into
        /// longs (stride 1: K_r = w_r2 + w_r1 2^21 + w_r0 2^42 for kernel row r; stride 2: J_r = w_r1
        /// for a window's middle column, K_r = w_r2 + w_r0 2^21 for the column two windows share).
        /// Per output row the three input rows are read straight from the activation (a row above or
        /// below the input gets weight 0 and its contribution zp * (row weights), which the folded bias
        /// expects, moves into the row's bias); the row's input columns go left to right, each
        /// multiplied once per kernel row, into a sliding sum S = (S &gt;&gt; 21) + column + offsets
        /// whose lane 0 is then a finished output's accumulator (stride 1: one column per output,
        /// stride 2: two). A column left or right of the input adds zp * (packed weights), exactly the
        /// contribution the folded bias expects, so borders need no special case.
        /// Requantization (Requantizer's formula) with the bias, the lane offsets and the output zero
        /// point folded into one constant per row: v = (lane m + rb) &gt;&gt; Shift. Its [acc &lt; 0]
        /// term only matters for results at or below the output zero point, so it is dropped when
        /// the clamp's minimum is at or above it (ReLU, ReLU6) and recomputed for those outputs
        /// otherwise. The folding is exact while |bias| &lt;= 2^30 and Shift &lt;= 54 (shift &gt;= -23):
        /// then every sum fits its long and the accumulator its int32, as in Reference. Channels
        /// outside that (and with a left shift), and strides above 2, take RunGeneric.
        /// </summary>
        static void Run3x3(ConvParams p, sbyte[] input, int inputOffset, sbyte[] output, int outputOffset)
        {
            int c = p.OutputChannels, inH = p.InputHeight, inW = p.InputWidth;
            int outH = p.OutputHeight, outW = p.OutputWidth, sW = p.StrideWidth, sH = p.StrideHeight, padT = p.PadTop, padL = p.PadLeft;
            int zp = p.InputZeroPoint, zpOut = p.OutputZeroPoint, min = p.ActivationMin, max = p.ActivationMax;
            int rowStride = inW * c;
            // Stride 1: outputs whose last column is inside the input, after the first two columns.
            int n1 = inW - 2 + padL;
            if (n1 > outW) n1 = outW;
            long zOff = sW == 1 ? Off3 : Off2;
            sbyte[] weights = p.Weights;
            for (int ch = 0; ch < c; ch++)
            {
                int s = p.OutputShift[ch], b = p.PreparedBias[ch];
                if (s > 0 || s < -23 || b > (1 << 30) || b < -(1 << 30))
                {
                    RunGeneric(p, input, inputOffset, output, outputOffset, ch, ch + 1);
                    continue;
                }
                long mul = p.OutputMultiplier[ch];
                int sh = 31 - s;
                long rz = Requantizer.Round(s) + ((long)zpOut << sh);
                bool exact = s < 0 && min < zpOut;
                int lo = exact ? zpOut + 1 : min;
                int wi = p.WeightsOffset + ch;
                int w00 = weights[wi], w01 = weights[wi + c], w02 = weights[wi + 2 * c];
                int w10 = weights[wi + 3 * c], w11 = weights[wi + 4 * c], w12 = weights[wi + 5 * c];
                int w20 = weights[wi + 6 * c], w21 = weights[wi + 7 * c], w22 = weights[wi + 8 * c];
                long k0, k1, k2, j0 = 0, j1 = 0, j2 = 0;
                if (sW == 1)
                {
                    k0 = w02 + ((long)w01 << 21) + ((long)w00 << 42);
                    k1 = w12 + ((long)w11 << 21) + ((long)w10 << 42);
                    k2 = w22 + ((long)w21 << 21) + ((long)w20 << 42);
                }
                else
                {
                    j0 = w01; j1 = w11; j2 = w21;
                    k0 = w02 + ((long)w00 << 21);
                    k1 = w12 + ((long)w10 << 21);
                    k2 = w22 + ((long)w20 << 21);
                }
                // The row constants of an interior row; a row at the top or bottom changes them (border,
                // then restored for the next row).
                long K0 = k0, K1 = k1, K2 = k2, J0 = j0, J1 = j1, J2 = j2;
                // A column left or right of the input: zp * (packed weights), plus the step's lane offsets for K.
                long ZK = zp * (k0 + k1 + k2) + zOff, ZJ = zp * (j0 + j1 + j2);
                long bo = (long)b - OffTotal, rb = bo * mul + rz;
                int d1 = rowStride, d2 = rowStride + rowStride;
                bool border = false;
                int o = outputOffset + ch;
                for (int oy = 0; oy < outH; oy++)
                {
                    int q0 = oy * sH - padT;
                    if (q0 < 0 || q0 + 2 >= inH)
                    {
                        // A row outside the input: weight 0, zp * (its weights) into the bias, read a clamped row.
                        int q1 = q0 + 1, q2 = q0 + 2, br = b;
                        K0 = k0; K1 = k1; K2 = k2; J0 = j0; J1 = j1; J2 = j2;
                        if (q0 < 0 || q0 >= inH) { br += zp * (w00 + w01 + w02); K0 = 0; J0 = 0; q0 = q0 < 0 ? 0 : inH - 1; }
                        if (q1 < 0 || q1 >= inH) { br += zp * (w10 + w11 + w12); K1 = 0; J1 = 0; q1 = q1 < 0 ? 0 : inH - 1; }
                        if (q2 < 0 || q2 >= inH) { br += zp * (w20 + w21 + w22); K2 = 0; J2 = 0; q2 = q2 < 0 ? 0 : inH - 1; }
                        ZK = zp * (K0 + K1 + K2) + zOff;
                        ZJ = zp * (J0 + J1 + J2);
                        bo = br - OffTotal;
                        rb = bo * mul + rz;
                        d1 = (q1 - q0) * rowStride;
                        d2 = (q2 - q0) * rowStride;
                        border = true;
                    }
                    else if (border)
                    {
                        K0 = k0; K1 = k1; K2 = k2; J0 = j0; J1 = j1; J2 = j2;
                        ZK = zp * (k0 + k1 + k2) + zOff;
                        ZJ = zp * (j0 + j1 + j2);
                        bo = (long)b - OffTotal;
                        rb = bo * mul + rz;
                        d1 = rowStride;
                        d2 = rowStride + rowStride;
                        border = false;
                    }
                    int cx = -padL; // input column of the next step
                    int xi = inputOffset + q0 * rowStride + cx * c + ch;
                    int oEnd = o + outW * c;
                    long S, t;
                    int v, n, end;
                    if (sW == 1)
                    {
                        // The columns before the first finished output (SAME: the padding column and column 0).
                        if (padL == 1)
                        {
                            xi += c;
                            S = (ZK >> 21) + (input[xi] * K0 + input[xi + d1] * K1 + input[xi + d2] * K2 + Off3);
                            xi += c;
                            cx = 1;
                        }
                        else
                        {
                            S = 0;
                            for (; cx < 2 - padL; cx++, xi += c)
                            {
                                if (cx < 0 || cx >= inW) S = (S >> 21) + ZK;
                                else S = (S >> 21) + (input[xi] * K0 + input[xi + d1] * K1 + input[xi + d2] * K2 + Off3);
                            }
                        }
                        // Columns inside the input, one output each.
                        end = xi + n1 * c;
                        int dOut = o - xi;
                        while (xi < end)
                        {
                            S = (S >> 21) + (input[xi] * K0 + input[xi + d1] * K1 + input[xi + d2] * K2 + Off3);
                            v = (int)(((S & LaneMask) * mul + rb) >> sh);
                            if (v < lo)
                            {
                                if (exact)
                                {
                                    t = (S & LaneMask) + bo;
                                    v = (int)((t * mul + rz + ((t >> 63) & Negative)) >> sh);
                                    if (v < min) v = min;
                                    else if (v > max) v = max;
                                }
                                else v = min;
                            }
                            else if (v > max) v = max;
                            output[xi + dOut] = (sbyte)v;
                            xi += c;
                        }
                        if (n1 > 0) o = xi + dOut;
                        // Columns right of the input.
                        for (; o < oEnd; o += c)
                        {
                            S = (S >> 21) + ZK;
                            v = (int)(((S & LaneMask) * mul + rb) >> sh);
                            if (v < lo)
                            {
                                if (exact)
                                {
                                    t = (S & LaneMask) + bo;
                                    v = (int)((t * mul + rz + ((t >> 63) & Negative)) >> sh);
                                    if (v < min) v = min;
                                    else if (v > max) v = max;
                                }
                                else v = min;
                            }
                            else if (v > max) v = max;
                            output[o] = (sbyte)v;
                        }
                    }
                    else
                    {
                        // Stride 2. The first window's first column (lane 1 of K), then per output its
                        // middle column (J, lane 0) and its last column (K: lane 0, and lane 1 for the next window).
                        if (cx < 0) S = ZK;
                        else S = input[xi] * K0 + input[xi + d1] * K1 + input[xi + d2] * K2 + Off2;
                        cx++;
                        xi += c;
                        int c2 = c + c, e1 = d1 + c, e2 = d2 + c;
                        n = 0;
                        if (cx >= 0 && cx + 1 < inW) { n = (inW - 2 - cx) / 2 + 1; if (n > outW) n = outW; }
                        end = o + n * c;
                        while (o < end)
                        {
                            S = (S >> 21) + (input[xi] * J0 + input[xi + d1] * J1 + input[xi + d2] * J2
                                + input[xi + c] * K0 + input[xi + e1] * K1 + input[xi + e2] * K2 + Off2);
                            v = (int)(((S & LaneMask) * mul + rb) >> sh);
                            if (v < lo)
                            {
                                if (exact)
                                {
                                    t = (S & LaneMask) + bo;
                                    v = (int)((t * mul + rz + ((t >> 63) & Negative)) >> sh);
                                    if (v < min) v = min;
                                    else if (v > max) v = max;
                                }
                                else v = min;
                            }
                            else if (v > max) v = max;
                            output[o] = (sbyte)v;
                            o += c;
                            xi += c2;
                        }
                        cx += 2 * n;
                        // The rest: a window reaching right of the input (or starting left of it).
                        for (; o < oEnd; o += c)
                        {
                            t = ZJ;
                            if (cx >= 0 && cx < inW) t = input[xi] * J0 + input[xi + d1] * J1 + input[xi + d2] * J2;
                            if (cx + 1 >= 0 && cx + 1 < inW) t += input[xi + c] * K0 + input[xi + e1] * K1 + input[xi + e2] * K2 + Off2;
                            else t += ZK;
                            S = (S >> 21) + t;
                            v = (int)(((S & LaneMask) * mul + rb) >> sh);
                            if (v < lo)
                            {
                                if (exact)
                                {
                                    t = (S & LaneMask) + bo;
                                    v = (int)((t * mul + rz + ((t >> 63) & Negative)) >> sh);
                                    if (v < min) v = min;
                                    else if (v > max) v = max;
                                }
                                else v = min;
                            }
                            else if (v > max) v = max;
                            output[o] = (sbyte)v;
                            cx += 2;
                            xi += c2;
                        }
                    }
                }
            }
        }

        /// <summary>
        /// Channels [ch0, ch1), any kernel size, stride and shift: per output a window inside the input
        /// goes row by row without bounds checks; one at a border checks each tap (the zero point
        /// outside). Requantizer's formula inline, its constants once per channel.
        /// </summary>
        static void RunGeneric(ConvParams p, sbyte[] input, int inputOffset, sbyte[] output, int outputOffset, int ch0, int ch1)
        {
            int inH = p.InputHeight, inW = p.InputWidth, c = p.OutputChannels, outW = p.OutputWidth;
            int kH = p.KernelHeight, kW = p.KernelWidth, zp = p.InputZeroPoint;
            int rowSkip = (inW - kW) * c, kc = kW * c;
            sbyte[] weights = p.Weights;
            int zpOut = p.OutputZeroPoint, min = p.ActivationMin, max = p.ActivationMax, c2 = c + c;
            for (int ch = ch0; ch < ch1; ch++)
            {
                int s = p.OutputShift[ch], left = s > 0 ? s : 0, sh = Requantizer.RightShift(s);
                long mul = p.OutputMultiplier[ch], rnd = Requantizer.Round(s), neg = Requantizer.Negative(s);
                for (int oy = 0; oy < p.OutputHeight; oy++)
                {
                    int iy0 = oy * p.StrideHeight - p.PadTop;
                    int o = outputOffset + oy * outW * c + ch;
                    for (int ox = 0; ox < outW; ox++, o += c)
                    {
                        int ix0 = ox * p.StrideWidth - p.PadLeft;
                        int acc = p.PreparedBias[ch];
                        int wi = p.WeightsOffset + ch;
                        if (iy0 >= 0 && ix0 >= 0 && iy0 + kH <= inH && ix0 + kW <= inW)
                        {
                            int xi = inputOffset + (iy0 * inW + ix0) * c + ch;
                            int dw = wi - xi; // weight index - input index, along a window row
                            for (int ky = 0; ky < kH; ky++)
                            {
                                int end = xi + kc;
                                for (; xi + c < end; xi += c2) acc += input[xi] * weights[xi + dw] + input[xi + c] * weights[xi + c + dw];
                                if (xi < end) { acc += input[xi] * weights[xi + dw]; xi += c; }
                                xi += rowSkip;
                                dw -= rowSkip;
                            }
                        }
                        else
                        {
                            for (int ky = 0; ky < kH; ky++)
                            {
                                int iy = iy0 + ky;
                                for (int kx = 0; kx < kW; kx++)
                                {
                                    int ix = ix0 + kx;
                                    int x = (iy < 0 || iy >= inH || ix < 0 || ix >= inW) ? zp : input[inputOffset + (iy * inW + ix) * c + ch];
                                    acc += x * weights[wi];
                                    wi += c;
                                }
                            }
                        }
                        int a = acc << left; // Requantizer's formula inline
                        int v = (int)((a * mul + rnd + ((a >> 31) & neg)) >> sh) + zpOut;
                        if (v < min) v = min;
                        else if (v > max) v = max;
                        output[o] = (sbyte)v;
                    }
                }
            }
        }
    }
}

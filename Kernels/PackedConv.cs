using System;

namespace MicroT.Runtime.Kernels
{
    /// <summary>
    /// The tuned core of Conv2D.Run (any kernel size, 1x1 included): a GEMM over output pixels x
    /// output channels with activations packed three pixels per long.
    ///
    /// Packing: a tile of 12 consecutive output pixels is im2col-packed into scratch as 4 groups of
    /// 3 pixels; for each patch element k, S[k * 4 + g] = x(p0) + x(p1) 2^21 + x(p2) 2^42 (raw int8
    /// values; padded taps hold the input zero point, whose product the folded bias cancels). One
    /// 64-bit multiply by an int8 weight then yields three products in 21-bit lanes.
    /// Lanes: x w lies in [-16256, 16384] (16384 only for a -128 weight), so 64 products span
    /// less than 2^21; every 64 patch elements the lanes are split exactly (each accumulator
    /// starts at LaneOffset = 64 * 16256 in every lane, so the lanes are non-negative fields that
    /// a mask and shifts extract; the offset is subtracted again with the channel bias).
    /// Register blocking: per step of 4 patch elements the loop loads 16 packed longs and 16
    /// weights and does 64 multiplies (192 MACs) into 16 accumulators (4 groups x 4 channels).
    /// The weights stay in their OHWI sbyte[] (no repacked copy).
    /// </summary>
    internal static class PackedConv
    {
        const int Groups = 4;
        const int TilePixels = 12;
        const int Block = 4;
        const int Chunk = 64;
        // Each lane starts at 64 * 16256: with weights in -128..127 a lane's 64 products lie in
        // [-64 * 16256, 64 * 16384], so lane + offset stays in [0, 2^21) and never carries.
        const int LaneOffset = 64 * 16256;
        const long LaneBias = LaneOffset | ((long)LaneOffset << 21) | ((long)LaneOffset << 42);
        const long LaneMask = (1L << 21) - 1;

        /// <summary>Packed tile (4 longs per patch element) + lane sums (4 channels x 12 pixels).</summary>
        public static int ScratchSize(int patch)
        {
            return Groups * patch + Block * TilePixels;
        }

        public static void Run(ConvParams p, sbyte[] input, int inputOffset, sbyte[] output, int outputOffset, long[] scratch)
        {
            int outC = p.OutputChannels;
            int patch = p.KernelHeight * p.KernelWidth * p.InputChannels;
            int pixels = p.OutputHeight * p.OutputWidth;
            int chunks = (patch + Chunk - 1) / Chunk;
            int laneBiasTotal = unchecked(chunks * LaneOffset); // only its value modulo 2^32 matters
            // The folded requantization needs the lane sums (each below chunks * 2^21) plus a bias of at
            // most 2^30 to stay inside int32: chunks * 2^21 <= 2^30.
            bool foldable = chunks <= 512;
            int tBase = Groups * patch;
            sbyte[] w = p.Weights;

            for (int tile = 0; tile < pixels; tile += TilePixels)
            {
                int n = pixels - tile;
                if (n > TilePixels) n = TilePixels;
                // A last tile of at most 6 pixels packs and multiplies 2 groups instead of 4.
                int groups = n > 6 ? Groups : 2;
                for (int g = 0; g < groups; g++) PackGroup(p, input, inputOffset, scratch, g, tile + g * 3, pixels);
                int o = outputOffset + tile * outC;
                for (int c0 = 0; c0 < outC; c0 += Block)
                {
                    // Channels past the end repeat the last one (computed, never stored).
                    int c1 = c0 + 1 < outC ? c0 + 1 : outC - 1;
                    int c2 = c0 + 2 < outC ? c0 + 2 : outC - 1;
                    int c3 = c0 + 3 < outC ? c0 + 3 : outC - 1;
                    int row0 = p.WeightsOffset + c0 * patch;
                    int d1 = (c1 - c0) * patch, d2 = (c2 - c0) * patch, d3 = (c3 - c0) * patch;
                    for (int k0 = 0; k0 < patch; k0 += Chunk)
                    {
                        int len = patch - k0;
                        if (len > Chunk) len = Chunk;
                        if (n == TilePixels && k0 + Chunk >= patch)
                            MultiplyChunk4Store(w, row0 + k0, d1, d2, d3, len, scratch, k0 * Groups, tBase, k0 == 0, p, output, o + c0, c0, laneBiasTotal, foldable);
                        else if (groups == Groups) MultiplyChunk4(w, row0 + k0, d1, d2, d3, len, scratch, k0 * Groups, tBase, k0 == 0);
                        else MultiplyChunk2(w, row0 + k0, d1, d2, d3, len, scratch, k0 * Groups, tBase, k0 == 0);
                    }
                    if (n < TilePixels) StoreLanes(p, scratch, tBase, c0, n, output, o + c0, laneBiasTotal, foldable);
                }
            }
        }

        /// <summary>
        /// Partial tiles: requantizes the n pixels of channels c0..c0+3 (those that exist) from the
        /// lane sums in s[tBase..] (channel j at tBase + 12 j). int32 arithmetic (two's complement, like
        /// Reference and TFLite): the lane sums, the lane offsets and the folded bias are exact modulo 2^32.
        /// </summary>
        static void StoreLanes(ConvParams p, long[] s, int tBase, int c0, int n, sbyte[] y, int o0, int laneBiasTotal, bool foldable)
        {
            int outC = p.OutputChannels;
            int cEnd = c0 + Block < outC ? c0 + Block : outC;
            int min = p.ActivationMin, max = p.ActivationMax, zp = p.OutputZeroPoint;
            for (int c = c0; c < cEnd; c++)
            {
                int sft = p.OutputShift[c];
                long mul = p.OutputMultiplier[c];
                int left = sft > 0 ? sft : 0, sh = sft > 0 ? 31 : 31 - sft;
                long rnd = sft >= 0 ? (1L << 30) : (1L << 30) + (1L << (30 - sft));
                long neg = sft >= 0 ? 0 : -(1L << 31);
                int ti = tBase + (c - c0) * TilePixels;
                int o = o0 + (c - c0);
                int oEnd = o + n * outC;
                int b = p.PreparedBias[c] - laneBiasTotal;
                if (foldable && sft <= 0 && sft >= -23 && (sft == 0 || min >= zp) && b <= (1 << 30))
                {
                    // Folded as in Store (same conditions).
                    long rb = b * mul + rnd + ((long)zp << sh);
                    for (; o < oEnd; o += outC)
                    {
                        int u = (int)((s[ti] * mul + rb) >> sh);
                        if (u < min) u = min;
                        else if (u > max) u = max;
                        y[o] = (sbyte)u;
                        ti++;
                    }
                    continue;
                }
                for (; o < oEnd; o += outC)
                {
                    int a = ((int)s[ti] + b) << left;
                    int v = (int)((a * mul + rnd + ((a >> 31) & neg)) >> sh) + zp;
                    if (v < min) v = min;
                    else if (v > max) v = max;
                    y[o] = (sbyte)v;
                    ti++;
                }
            }
        }

        /// <summary>Packs pixels first, first+1, first+2 (those past the end as zeros) into group g.</summary>
        static void PackGroup(ConvParams p, sbyte[] input, int inputOffset, long[] s, int g, int first, int pixels)
        {
            int inW = p.InputWidth, inH = p.InputHeight, inC = p.InputChannels, outW = p.OutputWidth;
            int zp = p.InputZeroPoint;
            int y0 = 0, x0 = 0, y1 = 0, x1 = 0, y2 = 0, x2 = 0;
            bool v0 = first < pixels, v1 = first + 1 < pixels, v2 = first + 2 < pixels;
            if (v0) { y0 = (first / outW) * p.StrideHeight - p.PadTop; x0 = (first % outW) * p.StrideWidth - p.PadLeft; }
            if (v1) { y1 = ((first + 1) / outW) * p.StrideHeight - p.PadTop; x1 = ((first + 1) % outW) * p.StrideWidth - p.PadLeft; }
            if (v2) { y2 = ((first + 2) / outW) * p.StrideHeight - p.PadTop; x2 = ((first + 2) % outW) * p.StrideWidth - p.PadLeft; }
            int si = g;
            int kH = p.KernelHeight, kW = p.KernelWidth;
            if (v2 && y0 >= 0 && y1 >= 0 && y2 >= 0 && x0 >= 0 && x1 >= 0 && x2 >= 0
                && y0 + kH <= inH && y1 + kH <= inH && y2 + kH <= inH && x0 + kW <= inW && x1 + kW <= inW && x2 + kW <= inW)
            {
                // All three windows inside the input: each window row is kW * inC consecutive values.
                int k = inputOffset + (y0 * inW + x0) * inC;
                int o1 = inputOffset + (y1 * inW + x1) * inC - k, o2 = inputOffset + (y2 * inW + x2) * inC - k;
                int rowLen = kW * inC, skip = (inW - kW) * inC;
                for (int ky = 0; ky < kH; ky++)
                {
                    int end = k + rowLen;
                    for (; k < end; k++)
                    {
                        s[si] = input[k] + ((long)input[k + o1] << 21) + ((long)input[k + o2] << 42);
                        si += Groups;
                    }
                    k += skip;
                }
                return;
            }
            for (int ky = 0; ky < kH; ky++)
            {
                for (int kx = 0; kx < kW; kx++)
                {
                    // Source of each lane: an input offset, or -1 with a fill value (zero point for a
                    // padded tap, 0 for a pixel past the end).
                    int a0 = Source(v0, y0 + ky, x0 + kx, inH, inW, inC, inputOffset);
                    int a1 = Source(v1, y1 + ky, x1 + kx, inH, inW, inC, inputOffset);
                    int a2 = Source(v2, y2 + ky, x2 + kx, inH, inW, inC, inputOffset);
                    int end = si + inC * Groups;
                    if (a0 >= 0 && a1 >= 0 && a2 >= 0)
                    {
                        for (; si < end; si += Groups)
                        {
                            s[si] = input[a0] + ((long)input[a1] << 21) + ((long)input[a2] << 42);
                            a0++; a1++; a2++;
                        }
                    }
                    else
                    {
                        long f0 = v0 ? zp : 0, f1 = v1 ? zp : 0, f2 = v2 ? zp : 0;
                        for (; si < end; si += Groups)
                        {
                            long l0 = a0 >= 0 ? input[a0++] : f0;
                            long l1 = a1 >= 0 ? input[a1++] : f1;
                            long l2 = a2 >= 0 ? input[a2++] : f2;
                            s[si] = l0 + (l1 << 21) + (l2 << 42);
                        }
                    }
                }
            }
        }

        static int Source(bool valid, int y, int x, int inH, int inW, int inC, int inputOffset)
        {
            if (!valid || y < 0 || y >= inH || x < 0 || x >= inW) return -1;
            return inputOffset + (y * inW + x) * inC;
        }

        /// <summary>
        /// 4 packed groups x channels c0..c3 (weight rows at wi + d1/d2/d3 relative to c0) over len
        /// patch elements, 4 elements per step; lane sums stored (first chunk) or added into t[tBase..]
        /// (layout: channel in block * 12 + group * 3 + lane). Generated code: keep the shape, edit the generator
        /// in the commit message's spirit (one accumulator per group x channel, loads shared).
        /// </summary>
        static void MultiplyChunk4(sbyte[] w, int wi, int d1, int d2, int d3, int len, long[] s, int si, int tBase, bool first)
        {
            long a00 = LaneBias, a01 = LaneBias, a02 = LaneBias, a03 = LaneBias;
            long a10 = LaneBias, a11 = LaneBias, a12 = LaneBias, a13 = LaneBias;
            long a20 = LaneBias, a21 = LaneBias, a22 = LaneBias, a23 = LaneBias;
            long a30 = LaneBias, a31 = LaneBias, a32 = LaneBias, a33 = LaneBias;
            int stepEnd = wi + (len & ~3);
            int e01 = 1, e02 = 2, e03 = 3;
            int e10 = d1, e11 = d1 + 1, e12 = d1 + 2, e13 = d1 + 3;
            int e20 = d2, e21 = d2 + 1, e22 = d2 + 2, e23 = d2 + 3;
            int e30 = d3, e31 = d3 + 1, e32 = d3 + 2, e33 = d3 + 3;
            while (wi < stepEnd)
            {
                long x00 = s[si], x01 = s[si + 1], x02 = s[si + 2], x03 = s[si + 3];
                long x10 = s[si + 4], x11 = s[si + 5], x12 = s[si + 6], x13 = s[si + 7];
                long x20 = s[si + 8], x21 = s[si + 9], x22 = s[si + 10], x23 = s[si + 11];
                long x30 = s[si + 12], x31 = s[si + 13], x32 = s[si + 14], x33 = s[si + 15];
                long w00 = w[wi], w01 = w[wi + e01], w02 = w[wi + e02], w03 = w[wi + e03];
                long w10 = w[wi + e10], w11 = w[wi + e11], w12 = w[wi + e12], w13 = w[wi + e13];
                long w20 = w[wi + e20], w21 = w[wi + e21], w22 = w[wi + e22], w23 = w[wi + e23];
                long w30 = w[wi + e30], w31 = w[wi + e31], w32 = w[wi + e32], w33 = w[wi + e33];
                a00 += x00 * w00 + x10 * w01 + x20 * w02 + x30 * w03; a01 += x00 * w10 + x10 * w11 + x20 * w12 + x30 * w13; a02 += x00 * w20 + x10 * w21 + x20 * w22 + x30 * w23; a03 += x00 * w30 + x10 * w31 + x20 * w32 + x30 * w33;
                a10 += x01 * w00 + x11 * w01 + x21 * w02 + x31 * w03; a11 += x01 * w10 + x11 * w11 + x21 * w12 + x31 * w13; a12 += x01 * w20 + x11 * w21 + x21 * w22 + x31 * w23; a13 += x01 * w30 + x11 * w31 + x21 * w32 + x31 * w33;
                a20 += x02 * w00 + x12 * w01 + x22 * w02 + x32 * w03; a21 += x02 * w10 + x12 * w11 + x22 * w12 + x32 * w13; a22 += x02 * w20 + x12 * w21 + x22 * w22 + x32 * w23; a23 += x02 * w30 + x12 * w31 + x22 * w32 + x32 * w33;
                a30 += x03 * w00 + x13 * w01 + x23 * w02 + x33 * w03; a31 += x03 * w10 + x13 * w11 + x23 * w12 + x33 * w13; a32 += x03 * w20 + x13 * w21 + x23 * w22 + x33 * w23; a33 += x03 * w30 + x13 * w31 + x23 * w32 + x33 * w33;
                si += 16;
                wi += 4;
            }
            int end = stepEnd + (len & 3);
            while (wi < end)
            {
                long x0 = s[si], x1 = s[si + 1], x2 = s[si + 2], x3 = s[si + 3];
                long w0 = w[wi], w1 = w[wi + d1], w2 = w[wi + d2], w3 = w[wi + d3];
                a00 += x0 * w0; a01 += x0 * w1; a02 += x0 * w2; a03 += x0 * w3;
                a10 += x1 * w0; a11 += x1 * w1; a12 += x1 * w2; a13 += x1 * w3;
                a20 += x2 * w0; a21 += x2 * w1; a22 += x2 * w2; a23 += x2 * w3;
                a30 += x3 * w0; a31 += x3 * w1; a32 += x3 * w2; a33 += x3 * w3;
                si += 4;
                wi++;
            }
            if (first)
            {
                s[tBase] = a00 & LaneMask; s[tBase + 1] = (a00 >> 21) & LaneMask; s[tBase + 2] = a00 >> 42;
                s[tBase + 3] = a10 & LaneMask; s[tBase + 4] = (a10 >> 21) & LaneMask; s[tBase + 5] = a10 >> 42;
                s[tBase + 6] = a20 & LaneMask; s[tBase + 7] = (a20 >> 21) & LaneMask; s[tBase + 8] = a20 >> 42;
                s[tBase + 9] = a30 & LaneMask; s[tBase + 10] = (a30 >> 21) & LaneMask; s[tBase + 11] = a30 >> 42;
                s[tBase + 12] = a01 & LaneMask; s[tBase + 13] = (a01 >> 21) & LaneMask; s[tBase + 14] = a01 >> 42;
                s[tBase + 15] = a11 & LaneMask; s[tBase + 16] = (a11 >> 21) & LaneMask; s[tBase + 17] = a11 >> 42;
                s[tBase + 18] = a21 & LaneMask; s[tBase + 19] = (a21 >> 21) & LaneMask; s[tBase + 20] = a21 >> 42;
                s[tBase + 21] = a31 & LaneMask; s[tBase + 22] = (a31 >> 21) & LaneMask; s[tBase + 23] = a31 >> 42;
                s[tBase + 24] = a02 & LaneMask; s[tBase + 25] = (a02 >> 21) & LaneMask; s[tBase + 26] = a02 >> 42;
                s[tBase + 27] = a12 & LaneMask; s[tBase + 28] = (a12 >> 21) & LaneMask; s[tBase + 29] = a12 >> 42;
                s[tBase + 30] = a22 & LaneMask; s[tBase + 31] = (a22 >> 21) & LaneMask; s[tBase + 32] = a22 >> 42;
                s[tBase + 33] = a32 & LaneMask; s[tBase + 34] = (a32 >> 21) & LaneMask; s[tBase + 35] = a32 >> 42;
                s[tBase + 36] = a03 & LaneMask; s[tBase + 37] = (a03 >> 21) & LaneMask; s[tBase + 38] = a03 >> 42;
                s[tBase + 39] = a13 & LaneMask; s[tBase + 40] = (a13 >> 21) & LaneMask; s[tBase + 41] = a13 >> 42;
                s[tBase + 42] = a23 & LaneMask; s[tBase + 43] = (a23 >> 21) & LaneMask; s[tBase + 44] = a23 >> 42;
                s[tBase + 45] = a33 & LaneMask; s[tBase + 46] = (a33 >> 21) & LaneMask; s[tBase + 47] = a33 >> 42;
            }
            else
            {
                s[tBase] += a00 & LaneMask; s[tBase + 1] += (a00 >> 21) & LaneMask; s[tBase + 2] += a00 >> 42;
                s[tBase + 3] += a10 & LaneMask; s[tBase + 4] += (a10 >> 21) & LaneMask; s[tBase + 5] += a10 >> 42;
                s[tBase + 6] += a20 & LaneMask; s[tBase + 7] += (a20 >> 21) & LaneMask; s[tBase + 8] += a20 >> 42;
                s[tBase + 9] += a30 & LaneMask; s[tBase + 10] += (a30 >> 21) & LaneMask; s[tBase + 11] += a30 >> 42;
                s[tBase + 12] += a01 & LaneMask; s[tBase + 13] += (a01 >> 21) & LaneMask; s[tBase + 14] += a01 >> 42;
                s[tBase + 15] += a11 & LaneMask; s[tBase + 16] += (a11 >> 21) & LaneMask; s[tBase + 17] += a11 >> 42;
                s[tBase + 18] += a21 & LaneMask; s[tBase + 19] += (a21 >> 21) & LaneMask; s[tBase + 20] += a21 >> 42;
                s[tBase + 21] += a31 & LaneMask; s[tBase + 22] += (a31 >> 21) & LaneMask; s[tBase + 23] += a31 >> 42;
                s[tBase + 24] += a02 & LaneMask; s[tBase + 25] += (a02 >> 21) & LaneMask; s[tBase + 26] += a02 >> 42;
                s[tBase + 27] += a12 & LaneMask; s[tBase + 28] += (a12 >> 21) & LaneMask; s[tBase + 29] += a12 >> 42;
                s[tBase + 30] += a22 & LaneMask; s[tBase + 31] += (a22 >> 21) & LaneMask; s[tBase + 32] += a22 >> 42;
                s[tBase + 33] += a32 & LaneMask; s[tBase + 34] += (a32 >> 21) & LaneMask; s[tBase + 35] += a32 >> 42;
                s[tBase + 36] += a03 & LaneMask; s[tBase + 37] += (a03 >> 21) & LaneMask; s[tBase + 38] += a03 >> 42;
                s[tBase + 39] += a13 & LaneMask; s[tBase + 40] += (a13 >> 21) & LaneMask; s[tBase + 41] += a13 >> 42;
                s[tBase + 42] += a23 & LaneMask; s[tBase + 43] += (a23 >> 21) & LaneMask; s[tBase + 44] += a23 >> 42;
                s[tBase + 45] += a33 & LaneMask; s[tBase + 46] += (a33 >> 21) & LaneMask; s[tBase + 47] += a33 >> 42;
            }
        }

        /// <summary>
        /// 2 packed groups x channels c0..c3 (weight rows at wi + d1/d2/d3 relative to c0) over len
        /// patch elements, 4 elements per step; lane sums stored (first chunk) or added into t[tBase..]
        /// (layout: channel in block * 12 + group * 3 + lane). Generated code: keep the shape, edit the generator
        /// in the commit message's spirit (one accumulator per group x channel, loads shared).
        /// </summary>
        static void MultiplyChunk4Store(sbyte[] w, int wi, int d1, int d2, int d3, int len, long[] s, int si, int tBase, bool first,
            ConvParams p, sbyte[] y, int o, int c0, int laneBiasTotal, bool foldable)
        {
            long a00 = LaneBias, a01 = LaneBias, a02 = LaneBias, a03 = LaneBias;
            long a10 = LaneBias, a11 = LaneBias, a12 = LaneBias, a13 = LaneBias;
            long a20 = LaneBias, a21 = LaneBias, a22 = LaneBias, a23 = LaneBias;
            long a30 = LaneBias, a31 = LaneBias, a32 = LaneBias, a33 = LaneBias;
            int stepEnd = wi + (len & ~3);
            int e01 = 1, e02 = 2, e03 = 3;
            int e10 = d1, e11 = d1 + 1, e12 = d1 + 2, e13 = d1 + 3;
            int e20 = d2, e21 = d2 + 1, e22 = d2 + 2, e23 = d2 + 3;
            int e30 = d3, e31 = d3 + 1, e32 = d3 + 2, e33 = d3 + 3;
            while (wi < stepEnd)
            {
                long x00 = s[si], x01 = s[si + 1], x02 = s[si + 2], x03 = s[si + 3];
                long x10 = s[si + 4], x11 = s[si + 5], x12 = s[si + 6], x13 = s[si + 7];
                long x20 = s[si + 8], x21 = s[si + 9], x22 = s[si + 10], x23 = s[si + 11];
                long x30 = s[si + 12], x31 = s[si + 13], x32 = s[si + 14], x33 = s[si + 15];
                long w00 = w[wi], w01 = w[wi + e01], w02 = w[wi + e02], w03 = w[wi + e03];
                long w10 = w[wi + e10], w11 = w[wi + e11], w12 = w[wi + e12], w13 = w[wi + e13];
                long w20 = w[wi + e20], w21 = w[wi + e21], w22 = w[wi + e22], w23 = w[wi + e23];
                long w30 = w[wi + e30], w31 = w[wi + e31], w32 = w[wi + e32], w33 = w[wi + e33];
                a00 += x00 * w00 + x10 * w01 + x20 * w02 + x30 * w03; a01 += x00 * w10 + x10 * w11 + x20 * w12 + x30 * w13; a02 += x00 * w20 + x10 * w21 + x20 * w22 + x30 * w23; a03 += x00 * w30 + x10 * w31 + x20 * w32 + x30 * w33;
                a10 += x01 * w00 + x11 * w01 + x21 * w02 + x31 * w03; a11 += x01 * w10 + x11 * w11 + x21 * w12 + x31 * w13; a12 += x01 * w20 + x11 * w21 + x21 * w22 + x31 * w23; a13 += x01 * w30 + x11 * w31 + x21 * w32 + x31 * w33;
                a20 += x02 * w00 + x12 * w01 + x22 * w02 + x32 * w03; a21 += x02 * w10 + x12 * w11 + x22 * w12 + x32 * w13; a22 += x02 * w20 + x12 * w21 + x22 * w22 + x32 * w23; a23 += x02 * w30 + x12 * w31 + x22 * w32 + x32 * w33;
                a30 += x03 * w00 + x13 * w01 + x23 * w02 + x33 * w03; a31 += x03 * w10 + x13 * w11 + x23 * w12 + x33 * w13; a32 += x03 * w20 + x13 * w21 + x23 * w22 + x33 * w23; a33 += x03 * w30 + x13 * w31 + x23 * w32 + x33 * w33;
                si += 16;
                wi += 4;
            }
            int end = stepEnd + (len & 3);
            while (wi < end)
            {
                long x0 = s[si], x1 = s[si + 1], x2 = s[si + 2], x3 = s[si + 3];
                long w0 = w[wi], w1 = w[wi + d1], w2 = w[wi + d2], w3 = w[wi + d3];
                a00 += x0 * w0; a01 += x0 * w1; a02 += x0 * w2; a03 += x0 * w3;
                a10 += x1 * w0; a11 += x1 * w1; a12 += x1 * w2; a13 += x1 * w3;
                a20 += x2 * w0; a21 += x2 * w1; a22 += x2 * w2; a23 += x2 * w3;
                a30 += x3 * w0; a31 += x3 * w1; a32 += x3 * w2; a33 += x3 * w3;
                si += 4;
                wi++;
            }
            // Last chunk of a full tile: requantize straight from the accumulators (lanes of earlier
            // chunks are in s[tBase..] unless this is the first), channels past the end skipped.
            int outC = p.OutputChannels;
            Store(a00, a10, a20, a30, s, tBase, !first, p, c0, y, o, laneBiasTotal, foldable);
            if (c0 + 1 < outC) Store(a01, a11, a21, a31, s, tBase + 12, !first, p, c0 + 1, y, o + 1, laneBiasTotal, foldable);
            if (c0 + 2 < outC) Store(a02, a12, a22, a32, s, tBase + 24, !first, p, c0 + 2, y, o + 2, laneBiasTotal, foldable);
            if (c0 + 3 < outC) Store(a03, a13, a23, a33, s, tBase + 36, !first, p, c0 + 3, y, o + 3, laneBiasTotal, foldable);
        }

        /// <summary>
        /// Requantizes and stores the 12 pixels of one channel c from its 4 group accumulators (3 lanes
        /// each; plus the earlier chunks' lane sums at s[ti..ti+12) when prior) at y[o], y[o + outC], ...
        /// Constants of the one-multiply requantization (Requantizer) derived here, once per 12 outputs;
        /// four copies of the 12 outputs (with or without earlier lanes, with or without a left shift)
        /// so that the common case (no left shift) pays no shift.
        /// </summary>
        static void Store(long g0, long g1, long g2, long g3, long[] s, int ti, bool prior, ConvParams p, int c, sbyte[] y, int o, int laneBiasTotal, bool foldable)
        {
            int sft = p.OutputShift[c];
            long mul = p.OutputMultiplier[c];
            int left = sft > 0 ? sft : 0, sh = sft > 0 ? 31 : 31 - sft;
            long rnd = sft >= 0 ? (1L << 30) : (1L << 30) + (1L << (30 - sft));
            long neg = sft >= 0 ? 0 : -(1L << 31);
            int zp = p.OutputZeroPoint, min = p.ActivationMin, max = p.ActivationMax, outC = p.OutputChannels;
            int b = p.PreparedBias[c] - laneBiasTotal; // int32, exact modulo 2^32 like the whole sum
            int a, v;
            if (foldable && sft <= 0 && sft >= -23 && (sft == 0 || min >= zp) && b <= (1 << 30))
            {
                // Folded: v = (lanes * m + rb) >> Shift with rb = b m + Round + zp 2^Shift. Exact here: the
                // sum lanes + b (lanes >= 0, below 2^30) stays inside int32 as in Reference, Shift <= 54
                // keeps rb inside a long, and the [acc < 0] term is 0 (shift 0) or only moves results at
                // or below zp, which the clamp's minimum (>= zp) maps to min anyway.
                long rb = b * mul + rnd + ((long)zp << sh);
                if (prior)
                {
                v = (int)((((g0 & LaneMask) + s[ti]) * mul + rb) >> sh);
                if (v < min) v = min;
                else if (v > max) v = max;
                y[o] = (sbyte)v;
                o += outC;
                v = (int)(((((g0 >> 21) & LaneMask) + s[ti + 1]) * mul + rb) >> sh);
                if (v < min) v = min;
                else if (v > max) v = max;
                y[o] = (sbyte)v;
                o += outC;
                v = (int)((((g0 >> 42) + s[ti + 2]) * mul + rb) >> sh);
                if (v < min) v = min;
                else if (v > max) v = max;
                y[o] = (sbyte)v;
                o += outC;
                v = (int)((((g1 & LaneMask) + s[ti + 3]) * mul + rb) >> sh);
                if (v < min) v = min;
                else if (v > max) v = max;
                y[o] = (sbyte)v;
                o += outC;
                v = (int)(((((g1 >> 21) & LaneMask) + s[ti + 4]) * mul + rb) >> sh);
                if (v < min) v = min;
                else if (v > max) v = max;
                y[o] = (sbyte)v;
                o += outC;
                v = (int)((((g1 >> 42) + s[ti + 5]) * mul + rb) >> sh);
                if (v < min) v = min;
                else if (v > max) v = max;
                y[o] = (sbyte)v;
                o += outC;
                v = (int)((((g2 & LaneMask) + s[ti + 6]) * mul + rb) >> sh);
                if (v < min) v = min;
                else if (v > max) v = max;
                y[o] = (sbyte)v;
                o += outC;
                v = (int)(((((g2 >> 21) & LaneMask) + s[ti + 7]) * mul + rb) >> sh);
                if (v < min) v = min;
                else if (v > max) v = max;
                y[o] = (sbyte)v;
                o += outC;
                v = (int)((((g2 >> 42) + s[ti + 8]) * mul + rb) >> sh);
                if (v < min) v = min;
                else if (v > max) v = max;
                y[o] = (sbyte)v;
                o += outC;
                v = (int)((((g3 & LaneMask) + s[ti + 9]) * mul + rb) >> sh);
                if (v < min) v = min;
                else if (v > max) v = max;
                y[o] = (sbyte)v;
                o += outC;
                v = (int)(((((g3 >> 21) & LaneMask) + s[ti + 10]) * mul + rb) >> sh);
                if (v < min) v = min;
                else if (v > max) v = max;
                y[o] = (sbyte)v;
                o += outC;
                v = (int)((((g3 >> 42) + s[ti + 11]) * mul + rb) >> sh);
                if (v < min) v = min;
                else if (v > max) v = max;
                y[o] = (sbyte)v;
                o += outC;
                }
                else
                {
                v = (int)(((g0 & LaneMask) * mul + rb) >> sh);
                if (v < min) v = min;
                else if (v > max) v = max;
                y[o] = (sbyte)v;
                o += outC;
                v = (int)((((g0 >> 21) & LaneMask) * mul + rb) >> sh);
                if (v < min) v = min;
                else if (v > max) v = max;
                y[o] = (sbyte)v;
                o += outC;
                v = (int)(((g0 >> 42) * mul + rb) >> sh);
                if (v < min) v = min;
                else if (v > max) v = max;
                y[o] = (sbyte)v;
                o += outC;
                v = (int)(((g1 & LaneMask) * mul + rb) >> sh);
                if (v < min) v = min;
                else if (v > max) v = max;
                y[o] = (sbyte)v;
                o += outC;
                v = (int)((((g1 >> 21) & LaneMask) * mul + rb) >> sh);
                if (v < min) v = min;
                else if (v > max) v = max;
                y[o] = (sbyte)v;
                o += outC;
                v = (int)(((g1 >> 42) * mul + rb) >> sh);
                if (v < min) v = min;
                else if (v > max) v = max;
                y[o] = (sbyte)v;
                o += outC;
                v = (int)(((g2 & LaneMask) * mul + rb) >> sh);
                if (v < min) v = min;
                else if (v > max) v = max;
                y[o] = (sbyte)v;
                o += outC;
                v = (int)((((g2 >> 21) & LaneMask) * mul + rb) >> sh);
                if (v < min) v = min;
                else if (v > max) v = max;
                y[o] = (sbyte)v;
                o += outC;
                v = (int)(((g2 >> 42) * mul + rb) >> sh);
                if (v < min) v = min;
                else if (v > max) v = max;
                y[o] = (sbyte)v;
                o += outC;
                v = (int)(((g3 & LaneMask) * mul + rb) >> sh);
                if (v < min) v = min;
                else if (v > max) v = max;
                y[o] = (sbyte)v;
                o += outC;
                v = (int)((((g3 >> 21) & LaneMask) * mul + rb) >> sh);
                if (v < min) v = min;
                else if (v > max) v = max;
                y[o] = (sbyte)v;
                o += outC;
                v = (int)(((g3 >> 42) * mul + rb) >> sh);
                if (v < min) v = min;
                else if (v > max) v = max;
                y[o] = (sbyte)v;
                o += outC;
                }
            }
            else if (prior && left == 0)
            {
                a = (int)(g0 & LaneMask) + (int)s[ti] + b;
                v = (int)((a * mul + rnd + ((a >> 31) & neg)) >> sh) + zp;
                if (v < min) v = min;
                else if (v > max) v = max;
                y[o] = (sbyte)v;
                o += outC;
                a = (int)((g0 >> 21) & LaneMask) + (int)s[ti + 1] + b;
                v = (int)((a * mul + rnd + ((a >> 31) & neg)) >> sh) + zp;
                if (v < min) v = min;
                else if (v > max) v = max;
                y[o] = (sbyte)v;
                o += outC;
                a = (int)(g0 >> 42) + (int)s[ti + 2] + b;
                v = (int)((a * mul + rnd + ((a >> 31) & neg)) >> sh) + zp;
                if (v < min) v = min;
                else if (v > max) v = max;
                y[o] = (sbyte)v;
                o += outC;
                a = (int)(g1 & LaneMask) + (int)s[ti + 3] + b;
                v = (int)((a * mul + rnd + ((a >> 31) & neg)) >> sh) + zp;
                if (v < min) v = min;
                else if (v > max) v = max;
                y[o] = (sbyte)v;
                o += outC;
                a = (int)((g1 >> 21) & LaneMask) + (int)s[ti + 4] + b;
                v = (int)((a * mul + rnd + ((a >> 31) & neg)) >> sh) + zp;
                if (v < min) v = min;
                else if (v > max) v = max;
                y[o] = (sbyte)v;
                o += outC;
                a = (int)(g1 >> 42) + (int)s[ti + 5] + b;
                v = (int)((a * mul + rnd + ((a >> 31) & neg)) >> sh) + zp;
                if (v < min) v = min;
                else if (v > max) v = max;
                y[o] = (sbyte)v;
                o += outC;
                a = (int)(g2 & LaneMask) + (int)s[ti + 6] + b;
                v = (int)((a * mul + rnd + ((a >> 31) & neg)) >> sh) + zp;
                if (v < min) v = min;
                else if (v > max) v = max;
                y[o] = (sbyte)v;
                o += outC;
                a = (int)((g2 >> 21) & LaneMask) + (int)s[ti + 7] + b;
                v = (int)((a * mul + rnd + ((a >> 31) & neg)) >> sh) + zp;
                if (v < min) v = min;
                else if (v > max) v = max;
                y[o] = (sbyte)v;
                o += outC;
                a = (int)(g2 >> 42) + (int)s[ti + 8] + b;
                v = (int)((a * mul + rnd + ((a >> 31) & neg)) >> sh) + zp;
                if (v < min) v = min;
                else if (v > max) v = max;
                y[o] = (sbyte)v;
                o += outC;
                a = (int)(g3 & LaneMask) + (int)s[ti + 9] + b;
                v = (int)((a * mul + rnd + ((a >> 31) & neg)) >> sh) + zp;
                if (v < min) v = min;
                else if (v > max) v = max;
                y[o] = (sbyte)v;
                o += outC;
                a = (int)((g3 >> 21) & LaneMask) + (int)s[ti + 10] + b;
                v = (int)((a * mul + rnd + ((a >> 31) & neg)) >> sh) + zp;
                if (v < min) v = min;
                else if (v > max) v = max;
                y[o] = (sbyte)v;
                o += outC;
                a = (int)(g3 >> 42) + (int)s[ti + 11] + b;
                v = (int)((a * mul + rnd + ((a >> 31) & neg)) >> sh) + zp;
                if (v < min) v = min;
                else if (v > max) v = max;
                y[o] = (sbyte)v;
                o += outC;
            }
            else if (prior && left != 0)
            {
                a = ((int)(g0 & LaneMask) + (int)s[ti] + b) << left;
                v = (int)((a * mul + rnd + ((a >> 31) & neg)) >> sh) + zp;
                if (v < min) v = min;
                else if (v > max) v = max;
                y[o] = (sbyte)v;
                o += outC;
                a = ((int)((g0 >> 21) & LaneMask) + (int)s[ti + 1] + b) << left;
                v = (int)((a * mul + rnd + ((a >> 31) & neg)) >> sh) + zp;
                if (v < min) v = min;
                else if (v > max) v = max;
                y[o] = (sbyte)v;
                o += outC;
                a = ((int)(g0 >> 42) + (int)s[ti + 2] + b) << left;
                v = (int)((a * mul + rnd + ((a >> 31) & neg)) >> sh) + zp;
                if (v < min) v = min;
                else if (v > max) v = max;
                y[o] = (sbyte)v;
                o += outC;
                a = ((int)(g1 & LaneMask) + (int)s[ti + 3] + b) << left;
                v = (int)((a * mul + rnd + ((a >> 31) & neg)) >> sh) + zp;
                if (v < min) v = min;
                else if (v > max) v = max;
                y[o] = (sbyte)v;
                o += outC;
                a = ((int)((g1 >> 21) & LaneMask) + (int)s[ti + 4] + b) << left;
                v = (int)((a * mul + rnd + ((a >> 31) & neg)) >> sh) + zp;
                if (v < min) v = min;
                else if (v > max) v = max;
                y[o] = (sbyte)v;
                o += outC;
                a = ((int)(g1 >> 42) + (int)s[ti + 5] + b) << left;
                v = (int)((a * mul + rnd + ((a >> 31) & neg)) >> sh) + zp;
                if (v < min) v = min;
                else if (v > max) v = max;
                y[o] = (sbyte)v;
                o += outC;
                a = ((int)(g2 & LaneMask) + (int)s[ti + 6] + b) << left;
                v = (int)((a * mul + rnd + ((a >> 31) & neg)) >> sh) + zp;
                if (v < min) v = min;
                else if (v > max) v = max;
                y[o] = (sbyte)v;
                o += outC;
                a = ((int)((g2 >> 21) & LaneMask) + (int)s[ti + 7] + b) << left;
                v = (int)((a * mul + rnd + ((a >> 31) & neg)) >> sh) + zp;
                if (v < min) v = min;
                else if (v > max) v = max;
                y[o] = (sbyte)v;
                o += outC;
                a = ((int)(g2 >> 42) + (int)s[ti + 8] + b) << left;
                v = (int)((a * mul + rnd + ((a >> 31) & neg)) >> sh) + zp;
                if (v < min) v = min;
                else if (v > max) v = max;
                y[o] = (sbyte)v;
                o += outC;
                a = ((int)(g3 & LaneMask) + (int)s[ti + 9] + b) << left;
                v = (int)((a * mul + rnd + ((a >> 31) & neg)) >> sh) + zp;
                if (v < min) v = min;
                else if (v > max) v = max;
                y[o] = (sbyte)v;
                o += outC;
                a = ((int)((g3 >> 21) & LaneMask) + (int)s[ti + 10] + b) << left;
                v = (int)((a * mul + rnd + ((a >> 31) & neg)) >> sh) + zp;
                if (v < min) v = min;
                else if (v > max) v = max;
                y[o] = (sbyte)v;
                o += outC;
                a = ((int)(g3 >> 42) + (int)s[ti + 11] + b) << left;
                v = (int)((a * mul + rnd + ((a >> 31) & neg)) >> sh) + zp;
                if (v < min) v = min;
                else if (v > max) v = max;
                y[o] = (sbyte)v;
                o += outC;
            }
            else if (!prior && left == 0)
            {
                a = (int)(g0 & LaneMask) + b;
                v = (int)((a * mul + rnd + ((a >> 31) & neg)) >> sh) + zp;
                if (v < min) v = min;
                else if (v > max) v = max;
                y[o] = (sbyte)v;
                o += outC;
                a = (int)((g0 >> 21) & LaneMask) + b;
                v = (int)((a * mul + rnd + ((a >> 31) & neg)) >> sh) + zp;
                if (v < min) v = min;
                else if (v > max) v = max;
                y[o] = (sbyte)v;
                o += outC;
                a = (int)(g0 >> 42) + b;
                v = (int)((a * mul + rnd + ((a >> 31) & neg)) >> sh) + zp;
                if (v < min) v = min;
                else if (v > max) v = max;
                y[o] = (sbyte)v;
                o += outC;
                a = (int)(g1 & LaneMask) + b;
                v = (int)((a * mul + rnd + ((a >> 31) & neg)) >> sh) + zp;
                if (v < min) v = min;
                else if (v > max) v = max;
                y[o] = (sbyte)v;
                o += outC;
                a = (int)((g1 >> 21) & LaneMask) + b;
                v = (int)((a * mul + rnd + ((a >> 31) & neg)) >> sh) + zp;
                if (v < min) v = min;
                else if (v > max) v = max;
                y[o] = (sbyte)v;
                o += outC;
                a = (int)(g1 >> 42) + b;
                v = (int)((a * mul + rnd + ((a >> 31) & neg)) >> sh) + zp;
                if (v < min) v = min;
                else if (v > max) v = max;
                y[o] = (sbyte)v;
                o += outC;
                a = (int)(g2 & LaneMask) + b;
                v = (int)((a * mul + rnd + ((a >> 31) & neg)) >> sh) + zp;
                if (v < min) v = min;
                else if (v > max) v = max;
                y[o] = (sbyte)v;
                o += outC;
                a = (int)((g2 >> 21) & LaneMask) + b;
                v = (int)((a * mul + rnd + ((a >> 31) & neg)) >> sh) + zp;
                if (v < min) v = min;
                else if (v > max) v = max;
                y[o] = (sbyte)v;
                o += outC;
                a = (int)(g2 >> 42) + b;
                v = (int)((a * mul + rnd + ((a >> 31) & neg)) >> sh) + zp;
                if (v < min) v = min;
                else if (v > max) v = max;
                y[o] = (sbyte)v;
                o += outC;
                a = (int)(g3 & LaneMask) + b;
                v = (int)((a * mul + rnd + ((a >> 31) & neg)) >> sh) + zp;
                if (v < min) v = min;
                else if (v > max) v = max;
                y[o] = (sbyte)v;
                o += outC;
                a = (int)((g3 >> 21) & LaneMask) + b;
                v = (int)((a * mul + rnd + ((a >> 31) & neg)) >> sh) + zp;
                if (v < min) v = min;
                else if (v > max) v = max;
                y[o] = (sbyte)v;
                o += outC;
                a = (int)(g3 >> 42) + b;
                v = (int)((a * mul + rnd + ((a >> 31) & neg)) >> sh) + zp;
                if (v < min) v = min;
                else if (v > max) v = max;
                y[o] = (sbyte)v;
                o += outC;
            }
            else if (!prior && left != 0)
            {
                a = ((int)(g0 & LaneMask) + b) << left;
                v = (int)((a * mul + rnd + ((a >> 31) & neg)) >> sh) + zp;
                if (v < min) v = min;
                else if (v > max) v = max;
                y[o] = (sbyte)v;
                o += outC;
                a = ((int)((g0 >> 21) & LaneMask) + b) << left;
                v = (int)((a * mul + rnd + ((a >> 31) & neg)) >> sh) + zp;
                if (v < min) v = min;
                else if (v > max) v = max;
                y[o] = (sbyte)v;
                o += outC;
                a = ((int)(g0 >> 42) + b) << left;
                v = (int)((a * mul + rnd + ((a >> 31) & neg)) >> sh) + zp;
                if (v < min) v = min;
                else if (v > max) v = max;
                y[o] = (sbyte)v;
                o += outC;
                a = ((int)(g1 & LaneMask) + b) << left;
                v = (int)((a * mul + rnd + ((a >> 31) & neg)) >> sh) + zp;
                if (v < min) v = min;
                else if (v > max) v = max;
                y[o] = (sbyte)v;
                o += outC;
                a = ((int)((g1 >> 21) & LaneMask) + b) << left;
                v = (int)((a * mul + rnd + ((a >> 31) & neg)) >> sh) + zp;
                if (v < min) v = min;
                else if (v > max) v = max;
                y[o] = (sbyte)v;
                o += outC;
                a = ((int)(g1 >> 42) + b) << left;
                v = (int)((a * mul + rnd + ((a >> 31) & neg)) >> sh) + zp;
                if (v < min) v = min;
                else if (v > max) v = max;
                y[o] = (sbyte)v;
                o += outC;
                a = ((int)(g2 & LaneMask) + b) << left;
                v = (int)((a * mul + rnd + ((a >> 31) & neg)) >> sh) + zp;
                if (v < min) v = min;
                else if (v > max) v = max;
                y[o] = (sbyte)v;
                o += outC;
                a = ((int)((g2 >> 21) & LaneMask) + b) << left;
                v = (int)((a * mul + rnd + ((a >> 31) & neg)) >> sh) + zp;
                if (v < min) v = min;
                else if (v > max) v = max;
                y[o] = (sbyte)v;
                o += outC;
                a = ((int)(g2 >> 42) + b) << left;
                v = (int)((a * mul + rnd + ((a >> 31) & neg)) >> sh) + zp;
                if (v < min) v = min;
                else if (v > max) v = max;
                y[o] = (sbyte)v;
                o += outC;
                a = ((int)(g3 & LaneMask) + b) << left;
                v = (int)((a * mul + rnd + ((a >> 31) & neg)) >> sh) + zp;
                if (v < min) v = min;
                else if (v > max) v = max;
                y[o] = (sbyte)v;
                o += outC;
                a = ((int)((g3 >> 21) & LaneMask) + b) << left;
                v = (int)((a * mul + rnd + ((a >> 31) & neg)) >> sh) + zp;
                if (v < min) v = min;
                else if (v > max) v = max;
                y[o] = (sbyte)v;
                o += outC;
                a = ((int)(g3 >> 42) + b) << left;
                v = (int)((a * mul + rnd + ((a >> 31) & neg)) >> sh) + zp;
                if (v < min) v = min;
                else if (v > max) v = max;
                y[o] = (sbyte)v;
                o += outC;
            }
        }

        static void MultiplyChunk2(sbyte[] w, int wi, int d1, int d2, int d3, int len, long[] s, int si, int tBase, bool first)
        {
            long a00 = LaneBias, a01 = LaneBias, a02 = LaneBias, a03 = LaneBias;
            long a10 = LaneBias, a11 = LaneBias, a12 = LaneBias, a13 = LaneBias;
            int stepEnd = wi + (len & ~3);
            int e01 = 1, e02 = 2, e03 = 3;
            int e10 = d1, e11 = d1 + 1, e12 = d1 + 2, e13 = d1 + 3;
            int e20 = d2, e21 = d2 + 1, e22 = d2 + 2, e23 = d2 + 3;
            int e30 = d3, e31 = d3 + 1, e32 = d3 + 2, e33 = d3 + 3;
            while (wi < stepEnd)
            {
                long x00 = s[si], x01 = s[si + 1];
                long x10 = s[si + 4], x11 = s[si + 5];
                long x20 = s[si + 8], x21 = s[si + 9];
                long x30 = s[si + 12], x31 = s[si + 13];
                long w00 = w[wi], w01 = w[wi + e01], w02 = w[wi + e02], w03 = w[wi + e03];
                long w10 = w[wi + e10], w11 = w[wi + e11], w12 = w[wi + e12], w13 = w[wi + e13];
                long w20 = w[wi + e20], w21 = w[wi + e21], w22 = w[wi + e22], w23 = w[wi + e23];
                long w30 = w[wi + e30], w31 = w[wi + e31], w32 = w[wi + e32], w33 = w[wi + e33];
                a00 += x00 * w00 + x10 * w01 + x20 * w02 + x30 * w03; a01 += x00 * w10 + x10 * w11 + x20 * w12 + x30 * w13; a02 += x00 * w20 + x10 * w21 + x20 * w22 + x30 * w23; a03 += x00 * w30 + x10 * w31 + x20 * w32 + x30 * w33;
                a10 += x01 * w00 + x11 * w01 + x21 * w02 + x31 * w03; a11 += x01 * w10 + x11 * w11 + x21 * w12 + x31 * w13; a12 += x01 * w20 + x11 * w21 + x21 * w22 + x31 * w23; a13 += x01 * w30 + x11 * w31 + x21 * w32 + x31 * w33;
                si += 16;
                wi += 4;
            }
            int end = stepEnd + (len & 3);
            while (wi < end)
            {
                long x0 = s[si], x1 = s[si + 1];
                long w0 = w[wi], w1 = w[wi + d1], w2 = w[wi + d2], w3 = w[wi + d3];
                a00 += x0 * w0; a01 += x0 * w1; a02 += x0 * w2; a03 += x0 * w3;
                a10 += x1 * w0; a11 += x1 * w1; a12 += x1 * w2; a13 += x1 * w3;
                si += 4;
                wi++;
            }
            if (first)
            {
                s[tBase] = a00 & LaneMask; s[tBase + 1] = (a00 >> 21) & LaneMask; s[tBase + 2] = a00 >> 42;
                s[tBase + 3] = a10 & LaneMask; s[tBase + 4] = (a10 >> 21) & LaneMask; s[tBase + 5] = a10 >> 42;
                s[tBase + 12] = a01 & LaneMask; s[tBase + 13] = (a01 >> 21) & LaneMask; s[tBase + 14] = a01 >> 42;
                s[tBase + 15] = a11 & LaneMask; s[tBase + 16] = (a11 >> 21) & LaneMask; s[tBase + 17] = a11 >> 42;
                s[tBase + 24] = a02 & LaneMask; s[tBase + 25] = (a02 >> 21) & LaneMask; s[tBase + 26] = a02 >> 42;
                s[tBase + 27] = a12 & LaneMask; s[tBase + 28] = (a12 >> 21) & LaneMask; s[tBase + 29] = a12 >> 42;
                s[tBase + 36] = a03 & LaneMask; s[tBase + 37] = (a03 >> 21) & LaneMask; s[tBase + 38] = a03 >> 42;
                s[tBase + 39] = a13 & LaneMask; s[tBase + 40] = (a13 >> 21) & LaneMask; s[tBase + 41] = a13 >> 42;
            }
            else
            {
                s[tBase] += a00 & LaneMask; s[tBase + 1] += (a00 >> 21) & LaneMask; s[tBase + 2] += a00 >> 42;
                s[tBase + 3] += a10 & LaneMask; s[tBase + 4] += (a10 >> 21) & LaneMask; s[tBase + 5] += a10 >> 42;
                s[tBase + 12] += a01 & LaneMask; s[tBase + 13] += (a01 >> 21) & LaneMask; s[tBase + 14] += a01 >> 42;
                s[tBase + 15] += a11 & LaneMask; s[tBase + 16] += (a11 >> 21) & LaneMask; s[tBase + 17] += a11 >> 42;
                s[tBase + 24] += a02 & LaneMask; s[tBase + 25] += (a02 >> 21) & LaneMask; s[tBase + 26] += a02 >> 42;
                s[tBase + 27] += a12 & LaneMask; s[tBase + 28] += (a12 >> 21) & LaneMask; s[tBase + 29] += a12 >> 42;
                s[tBase + 36] += a03 & LaneMask; s[tBase + 37] += (a03 >> 21) & LaneMask; s[tBase + 38] += a03 >> 42;
                s[tBase + 39] += a13 & LaneMask; s[tBase + 40] += (a13 >> 21) & LaneMask; s[tBase + 41] += a13 >> 42;
            }
        }

    }
}

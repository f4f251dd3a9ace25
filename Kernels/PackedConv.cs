using System;

namespace MicroT.Runtime.Kernels
{
    /// <summary>
    /// The tuned core shared by Conv2D.Run and PointwiseConv2D.Run: a GEMM over output pixels x
    /// output channels with activations packed three pixels per long.
    ///
    /// Packing: a tile of 12 consecutive output pixels is im2col-packed into scratch as 4 groups of
    /// 3 pixels; for each patch element k, S[k * 4 + g] = x(p0) + x(p1) 2^21 + x(p2) 2^42 (raw int8
    /// values; padded taps hold the input zero point, whose product the folded bias cancels). One
    /// 64-bit multiply by an int8 weight then yields three products in 21-bit lanes.
    /// Lanes: |x w| &lt;= 128 * 127 = 16256, so 64 products stay below 2^20; every 64 patch
    /// elements the lanes are split exactly (each accumulator starts at LaneBias = 2^20 in every
    /// lane, so the lanes are non-negative fields that a mask and shifts extract; the bias is
    /// subtracted again with the channel bias).
    /// Register blocking: per step of 2 patch elements the loop loads 8 packed longs and 6
    /// weights and does 24 multiplies (72 MACs) into 12 accumulators (4 groups x 3 channels).
    /// The weights stay in their OHWI sbyte[] (no repacked copy).
    /// </summary>
    internal static class PackedConv
    {
        const int Groups = 4;
        const int TilePixels = 12;
        const int Block = 3;
        const int Chunk = 64;
        const long LaneBias = (1L << 20) | (1L << 41) | (1L << 62);
        const long LaneMask = (1L << 21) - 1;

        /// <summary>Packed tile (4 longs per patch element) + lane sums (3 channels x 12 pixels).</summary>
        public static int ScratchSize(int patch)
        {
            return Groups * patch + Block * TilePixels;
        }

        public static void Run(ConvParams p, Requantizer rq, sbyte[] input, int inputOffset, sbyte[] output, int outputOffset, long[] scratch)
        {
            int inW = p.InputWidth, inH = p.InputHeight, inC = p.InputChannels, outC = p.OutputChannels;
            int kH = p.KernelHeight, kW = p.KernelWidth, outW = p.OutputWidth;
            int patch = kH * kW * inC;
            int pixels = p.OutputHeight * outW;
            int chunks = (patch + Chunk - 1) / Chunk;
            int laneBiasTotal = chunks << 20;
            int tBase = Groups * patch;
            sbyte[] w = p.Weights;
            int[] bias = p.PreparedBias;
            int min = p.ActivationMin, max = p.ActivationMax, zpOut = p.OutputZeroPoint;

            for (int tile = 0; tile < pixels; tile += TilePixels)
            {
                int n = pixels - tile;
                if (n > TilePixels) n = TilePixels;
                for (int g = 0; g < Groups; g++) PackGroup(p, input, inputOffset, scratch, g, tile + g * 3, pixels);

                for (int c0 = 0; c0 < outC; c0 += Block)
                {
                    // Channels past the end repeat the last one (computed, never stored).
                    int c1 = c0 + 1 < outC ? c0 + 1 : outC - 1;
                    int c2 = c0 + 2 < outC ? c0 + 2 : outC - 1;
                    int row0 = p.WeightsOffset + c0 * patch;
                    int d1 = (c1 - c0) * patch, d2 = (c2 - c0) * patch;
                    for (int k0 = 0; k0 < patch; k0 += Chunk)
                    {
                        int len = patch - k0;
                        if (len > Chunk) len = Chunk;
                        MultiplyChunk(w, row0 + k0, d1, d2, len, scratch, k0 * Groups, tBase, k0 == 0);
                    }
                    int cEnd = c0 + Block < outC ? c0 + Block : outC;
                    for (int c = c0; c < cEnd; c++)
                    {
                        long mul = rq.Multiplier[c], rnd = rq.Round[c], neg = rq.Negative[c];
                        int left = rq.Left[c], sh = rq.Shift[c];
                        int b = bias[c] - laneBiasTotal;
                        int ti = tBase + (c - c0) * TilePixels;
                        int tEnd = ti + n;
                        int o = outputOffset + tile * outC + c;
                        for (; ti < tEnd; ti++)
                        {
                            int a = ((int)scratch[ti] + b) << left;
                            int v = (int)((a * mul + rnd + ((a >> 31) & neg)) >> sh) + zpOut;
                            if (v < min) v = min;
                            else if (v > max) v = max;
                            output[o] = (sbyte)v;
                            o += outC;
                        }
                    }
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
            for (int ky = 0; ky < p.KernelHeight; ky++)
            {
                for (int kx = 0; kx < p.KernelWidth; kx++)
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
        /// Channels c0 (weights from wi), c1 (wi + d1), c2 (wi + d2) times the 4 packed groups over
        /// len patch elements; lane sums stored (first chunk) or added into t[tBase..].
        /// </summary>
        static void MultiplyChunk(sbyte[] w, int wi, int d1, int d2, int len, long[] s, int si, int tBase, bool first)
        {
            long a00 = LaneBias, a01 = LaneBias, a02 = LaneBias;
            long a10 = LaneBias, a11 = LaneBias, a12 = LaneBias;
            long a20 = LaneBias, a21 = LaneBias, a22 = LaneBias;
            long a30 = LaneBias, a31 = LaneBias, a32 = LaneBias;
            int pairEnd = wi + (len & ~1);
            int d1p = d1 + 1, d2p = d2 + 1;
            while (wi < pairEnd)
            {
                long x0 = s[si], x1 = s[si + 1], x2 = s[si + 2], x3 = s[si + 3];
                long y0 = s[si + 4], y1 = s[si + 5], y2 = s[si + 6], y3 = s[si + 7];
                long w0 = w[wi], w1 = w[wi + d1], w2 = w[wi + d2];
                long v0 = w[wi + 1], v1 = w[wi + d1p], v2 = w[wi + d2p];
                a00 += x0 * w0 + y0 * v0; a01 += x0 * w1 + y0 * v1; a02 += x0 * w2 + y0 * v2;
                a10 += x1 * w0 + y1 * v0; a11 += x1 * w1 + y1 * v1; a12 += x1 * w2 + y1 * v2;
                a20 += x2 * w0 + y2 * v0; a21 += x2 * w1 + y2 * v1; a22 += x2 * w2 + y2 * v2;
                a30 += x3 * w0 + y3 * v0; a31 += x3 * w1 + y3 * v1; a32 += x3 * w2 + y3 * v2;
                si += 8;
                wi += 2;
            }
            if ((len & 1) != 0)
            {
                long x0 = s[si], x1 = s[si + 1], x2 = s[si + 2], x3 = s[si + 3];
                long w0 = w[wi], w1 = w[wi + d1], w2 = w[wi + d2];
                a00 += x0 * w0; a01 += x0 * w1; a02 += x0 * w2;
                a10 += x1 * w0; a11 += x1 * w1; a12 += x1 * w2;
                a20 += x2 * w0; a21 += x2 * w1; a22 += x2 * w2;
                a30 += x3 * w0; a31 += x3 * w1; a32 += x3 * w2;
            }
            // t layout: channel block index * 12 + group * 3 + lane.
            Spill(s, tBase, a00, first); Spill(s, tBase + 3, a10, first); Spill(s, tBase + 6, a20, first); Spill(s, tBase + 9, a30, first);
            Spill(s, tBase + 12, a01, first); Spill(s, tBase + 15, a11, first); Spill(s, tBase + 18, a21, first); Spill(s, tBase + 21, a31, first);
            Spill(s, tBase + 24, a02, first); Spill(s, tBase + 27, a12, first); Spill(s, tBase + 30, a22, first); Spill(s, tBase + 33, a32, first);
        }

        static void Spill(long[] t, int i, long acc, bool first)
        {
            if (first)
            {
                t[i] = acc & LaneMask;
                t[i + 1] = (acc >> 21) & LaneMask;
                t[i + 2] = acc >> 42;
            }
            else
            {
                t[i] += acc & LaneMask;
                t[i + 1] += (acc >> 21) & LaneMask;
                t[i + 2] += acc >> 42;
            }
        }
    }
}

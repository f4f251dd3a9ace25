using System;
using MicroT.Runtime.DeviceTests.Framework;
using MicroT.Runtime.DeviceTests.Generated;
using MicroT.Runtime.Models;

namespace MicroT.Runtime.DeviceTests.Cases
{
    /// <summary>
    /// Staged inference on the embedded tiny model: a frame goes in (Gray8 and RGB565, resized
    /// and converted on the device), the part model runs, then the rest resumes from the split
    /// activation. Input, part features and full features must equal the golden bytes, and a
    /// full run must give what part + rest gave.
    /// </summary>
    public static class StagedInferenceTests
    {
        const string Class = "StagedInferenceTests";

        public static void Register(TestRunner r)
        {
            r.Add(Class, "GrayFramePartThenRestMatchesGolden", GrayFramePartThenRestMatchesGolden);
            r.Add(Class, "Rgb565FramePartThenRestMatchesGolden", Rgb565FramePartThenRestMatchesGolden);
            r.Add(Class, "FullRunEqualsPartThenRest", FullRunEqualsPartThenRest);
            r.Add(Class, "OutOfOrderCallsAreRejected", OutOfOrderCallsAreRejected);
            r.Add(Class, "WrongFrameSizeIsRejected", WrongFrameSizeIsRejected);
        }

        public static void GrayFramePartThenRestMatchesGolden()
        {
            CheckStaged(FrameFormat.Gray8, TinyModel.GrayFrame(), TinyModel.GrayFrameWidth, TinyModel.GrayFrameHeight,
                TinyModel.GrayExpectedInput(), TinyModel.GrayExpectedPartFeatures(), TinyModel.GrayExpectedFullFeatures());
        }

        public static void Rgb565FramePartThenRestMatchesGolden()
        {
            CheckStaged(FrameFormat.Rgb565, TinyModel.Rgb565Frame(), TinyModel.Rgb565FrameWidth, TinyModel.Rgb565FrameHeight,
                TinyModel.Rgb565ExpectedInput(), TinyModel.Rgb565ExpectedPartFeatures(), TinyModel.Rgb565ExpectedFullFeatures());
        }

        static void CheckStaged(FrameFormat format, byte[] frame, int width, int height, sbyte[] input, sbyte[] part, sbyte[] full)
        {
            var it = new Interpreter(Model.Load(TinyModel.Bytes()));
            it.SetInput(frame, format, width, height);
            Assert.BytesEqual(input, it.Arena, it.InputOffset, "quantized input");
            it.RunPart();
            Assert.IsTrue(it.PartDone && !it.FullDone, "after RunPart: PartDone and not FullDone");
            var got = new sbyte[part.Length];
            it.CopyPartFeatures(got, 0);
            Assert.BytesEqual(part, got, 0, "part features");
            it.RunRest();
            Assert.IsTrue(it.FullDone, "after RunRest: FullDone");
            got = new sbyte[full.Length];
            it.CopyFullFeatures(got, 0);
            Assert.BytesEqual(full, got, 0, "full features");
        }

        public static void FullRunEqualsPartThenRest()
        {
            var it = new Interpreter(Model.Load(TinyModel.Bytes()));
            byte[] frame = TinyModel.Rgb565Frame();
            var staged = new sbyte[TinyModel.FullFeatureLength];
            var whole = new sbyte[TinyModel.FullFeatureLength];
            it.SetInput(frame, FrameFormat.Rgb565, TinyModel.Rgb565FrameWidth, TinyModel.Rgb565FrameHeight);
            it.RunPart();
            it.RunRest();
            it.CopyFullFeatures(staged, 0);
            it.SetInput(frame, FrameFormat.Rgb565, TinyModel.Rgb565FrameWidth, TinyModel.Rgb565FrameHeight);
            it.RunFull();
            it.CopyFullFeatures(whole, 0);
            Assert.BytesEqual(staged, whole, 0, "RunFull vs RunPart + RunRest");
        }

        public static void OutOfOrderCallsAreRejected()
        {
            var it = new Interpreter(Model.Load(TinyModel.Bytes()));
            Assert.ThrowsException(typeof(InvalidOperationException), delegate { it.RunPart(); }, "RunPart before SetInput");
            it.SetInput(TinyModel.GrayFrame(), FrameFormat.Gray8, TinyModel.GrayFrameWidth, TinyModel.GrayFrameHeight);
            Assert.ThrowsException(typeof(InvalidOperationException), delegate { it.RunRest(); }, "RunRest before RunPart");
            it.RunPart();
            Assert.ThrowsException(typeof(InvalidOperationException), delegate { it.RunPart(); }, "RunPart twice on one input");
            Assert.ThrowsException(typeof(InvalidOperationException),
                delegate { it.CopyFullFeatures(new sbyte[TinyModel.FullFeatureLength], 0); }, "full features before RunRest");
        }

        public static void WrongFrameSizeIsRejected()
        {
            var it = new Interpreter(Model.Load(TinyModel.Bytes()));
            byte[] frame = TinyModel.GrayFrame();
            Assert.ThrowsException(typeof(ArgumentException),
                delegate { it.SetInput(frame, FrameFormat.Rgb565, TinyModel.GrayFrameWidth, TinyModel.GrayFrameHeight); },
                "a Gray8-sized buffer declared as RGB565");
        }
    }
}

using System;
using MicroT.Runtime.DeviceTests.Framework;
using MicroT.Runtime.DeviceTests.Generated;
using MicroT.Runtime.Models;

namespace MicroT.Runtime.DeviceTests.Cases
{
    /// <summary>
    /// Loading the embedded tiny model (Generated/TinyModel.cs) on the device, and rejecting a
    /// corrupt copy with a ModelFormatException that says what is wrong (never an
    /// IndexOutOfRange, never a half-loaded model).
    /// </summary>
    public static class ModelTests
    {
        const string Class = "ModelTests";

        public static void Register(TestRunner r)
        {
            r.Add(Class, "TinyModelLoadsWithTheWrittenFacts", TinyModelLoadsWithTheWrittenFacts);
            r.Add(Class, "FlippedWeightByteFailsTheCrc", FlippedWeightByteFailsTheCrc);
            r.Add(Class, "TruncatedFileIsRejected", TruncatedFileIsRejected);
            r.Add(Class, "BadMagicIsRejected", BadMagicIsRejected);
            r.Add(Class, "NullFileIsRejected", NullFileIsRejected);
        }

        public static void TinyModelLoadsWithTheWrittenFacts()
        {
            Model m = Model.Load(TinyModel.Bytes());
            Assert.AreEqual(TinyModel.Name, m.Name, "Name");
            Assert.AreEqual(TinyModel.OperatorCount, m.OperatorCount, "OperatorCount");
            Assert.AreEqual(TinyModel.TensorCount, m.Tensors.Length, "tensor count");
            Assert.AreEqual(TinyModel.SplitIndex, m.SplitIndex, "SplitIndex");
            Assert.AreEqual(TinyModel.InputHeight, m.InputHeight, "InputHeight");
            Assert.AreEqual(TinyModel.InputWidth, m.InputWidth, "InputWidth");
            Assert.AreEqual(TinyModel.InputChannels, m.InputChannels, "InputChannels");
            Assert.AreEqual(TinyModel.PartFeatureLength, m.PartFeatureLength, "PartFeatureLength");
            Assert.AreEqual(TinyModel.FullFeatureLength, m.FullFeatureLength, "FullFeatureLength");
            Assert.AreEqual(TinyModel.PartMacs, m.PartMacs, "PartMacs");
            Assert.AreEqual(TinyModel.FullMacs, m.FullMacs, "FullMacs");
            Assert.AreEqual(TinyModel.HostArenaSize, m.ArenaSize, "ArenaSize (device plan vs host plan)");
        }

        public static void FlippedWeightByteFailsTheCrc()
        {
            byte[] file = TinyModel.Bytes();
            file[file.Length - 5] ^= 0x01; // inside the data section: only the CRC can notice
            Exception e = Assert.ThrowsException(typeof(ModelFormatException), delegate { Model.Load(file); }, "one flipped bit");
            Assert.Contains("CRC", e.Message, "message names the CRC");
        }

        public static void TruncatedFileIsRejected()
        {
            byte[] full = TinyModel.Bytes();
            byte[] cut = new byte[full.Length / 2];
            Array.Copy(full, cut, cut.Length);
            Assert.ThrowsException(typeof(ModelFormatException), delegate { Model.Load(cut); }, "half a file");
            byte[] tiny = new byte[10];
            Array.Copy(full, tiny, tiny.Length);
            Assert.ThrowsException(typeof(ModelFormatException), delegate { Model.Load(tiny); }, "10 bytes");
        }

        public static void BadMagicIsRejected()
        {
            byte[] file = TinyModel.Bytes();
            file[0] = (byte)'X';
            Exception e = Assert.ThrowsException(typeof(ModelFormatException), delegate { Model.Load(file); }, "bad magic");
            Assert.AreEqual(0, ((ModelFormatException)e).ByteOffset, "ByteOffset of the magic");
        }

        public static void NullFileIsRejected()
        {
            Assert.ThrowsException(typeof(ArgumentNullException), delegate { Model.Load((byte[])null); }, "null file");
        }
    }
}

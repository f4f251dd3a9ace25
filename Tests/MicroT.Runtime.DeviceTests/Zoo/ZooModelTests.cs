using MicroT.Runtime.Classifier;
using MicroT.Runtime.DeviceTests.Framework;
using MicroT.Runtime.DeviceTests.Generated;
using MicroT.ZooModel;
using MicroT.Runtime.Models;

namespace MicroT.Runtime.DeviceTests.Zoo
{
    /// <summary>
    /// What users run, on the device: the default zoo model loaded from its real bytes
    /// (samples/MicroT.ZooModel, an assembly of its own), real Fashion-MNIST frames through
    /// the part and the rest, a task trained on the device with each head kind and staged
    /// answers for held-out frames, and a task saved and loaded. Every expected value is the
    /// host build's result (Generated/ZooVectors.cs, tools/MicroT.DeviceGen), compared bit for
    /// bit: features byte by byte, trained tasks by their serialized bytes, confidences with ==.
    /// </summary>
    public static class ZooModelTests
    {
        const string Class = "ZooModelTests";

        public static void Register(TestRunner r)
        {
            r.Add(Class, "ZooModelLoadsFromItsRealBytes", ZooModelLoadsFromItsRealBytes);
            r.Add(Class, "ZooModelSelfTestPasses", ZooModelSelfTestPasses);
            r.Add(Class, "ZooSelfTestNamesWeightsChangedSinceLoad", ZooSelfTestNamesWeightsChangedSinceLoad);
            r.Add(Class, "ZooFeaturesOfRealFramesMatchTheHost", ZooFeaturesOfRealFramesMatchTheHost);
            r.Add(Class, "LogisticTaskTrainsAndAnswersAsTheHost", LogisticTaskTrainsAndAnswersAsTheHost);
            r.Add(Class, "RidgeTaskTrainsAndAnswersAsTheHost", RidgeTaskTrainsAndAnswersAsTheHost);
            r.Add(Class, "SavedTaskLoadsAndAnswersAsTheHost", SavedTaskLoadsAndAnswersAsTheHost);
        }

        /// <summary>Loads the zoo model as a user on a small heap should: from its chunks, one at a
        /// time (ZooSource), so the whole file is never one array in RAM.</summary>
        static Model Load()
        {
            return Model.Load(new ZooSource());
        }

        public static void ZooModelLoadsFromItsRealBytes()
        {
            Model whole = Model.Load(ZooModelFile.Bytes()); // the file as one array: the same model
            Assert.AreEqual(ZooVectors.ArenaSize, whole.ArenaSize, "ArenaSize (loaded from one array)");
            Assert.AreEqual(ZooVectors.WeightBytes, whole.Weights.Length, "weight bytes (loaded from one array)");
            whole = null;
            Model m = Load();
            Assert.AreEqual(ZooVectors.Name, m.Name, "Name");
            Assert.AreEqual(ZooVectors.InputHeight, m.InputHeight, "InputHeight");
            Assert.AreEqual(ZooVectors.InputWidth, m.InputWidth, "InputWidth");
            Assert.AreEqual(ZooVectors.InputChannels, m.InputChannels, "InputChannels");
            Assert.AreEqual(ZooVectors.SplitIndex, m.SplitIndex, "SplitIndex");
            Assert.AreEqual(ZooVectors.PartFeatureLength, m.PartFeatureLength, "PartFeatureLength");
            Assert.AreEqual(ZooVectors.FullFeatureLength, m.FullFeatureLength, "FullFeatureLength");
            Assert.AreEqual(ZooVectors.PartMacs, m.PartMacs, "PartMacs");
            Assert.AreEqual(ZooVectors.FullMacs, m.FullMacs, "FullMacs");
            Assert.AreEqual(ZooVectors.ArenaSize, m.ArenaSize, "ArenaSize");
            Assert.AreEqual(ZooVectors.WeightBytes, m.Weights.Length, "weight bytes");
        }

        /// <summary>The self-test the zoo file carries (frames and features from the converter's host run),
        /// read from the chunks as the model is (the whole file is never in RAM).</summary>
        public static void ZooModelSelfTestPasses()
        {
            SelfTestResult r = new Interpreter(Load()).SelfTest(new ZooSource());
            Assert.IsTrue(r.Passed, r.Message);
            Assert.AreEqual(2, r.FramesRun, "self-test frames");
        }

        /// <summary>A weight byte changed in RAM after load (bit 0 set, as the CLR defect of docs/DEVICE.md
        /// does): the self-test names it "weights changed since load" before any frame; restored, it passes.</summary>
        public static void ZooSelfTestNamesWeightsChangedSinceLoad()
        {
            Model m = Load();
            var it = new Interpreter(m);
            sbyte[] w = m.Weights;
            int i = 0;
            while ((w[i] & 1) != 0) i++;
            sbyte before = w[i];
            w[i] = (sbyte)(before | 1);
            SelfTestResult r = it.SelfTest(new ZooSource());
            Assert.IsTrue(!r.Passed && r.WeightsChanged, "a changed weight should fail the self-test as changed: " + r.Message);
            Assert.AreEqual(0, r.FramesRun, "frames run before the weight check failed");
            Assert.Contains("failed: weights changed since load", r.Message, "message");
            w[i] = before;
            r = it.SelfTest(new ZooSource());
            Assert.IsTrue(r.Passed && !r.WeightsChanged, r.Message);
        }

        public static void ZooFeaturesOfRealFramesMatchTheHost()
        {
            var it = new Interpreter(Load());
            var part = new sbyte[ZooVectors.PartFeatureLength];
            var full = new sbyte[ZooVectors.FullFeatureLength];
            for (int i = 0; i < ZooVectors.FrameCount; i++)
            {
                it.SetInput(ZooVectors.Frame(i), FrameFormat.Gray8, ZooVectors.FrameWidth, ZooVectors.FrameHeight);
                it.RunPart();
                it.CopyPartFeatures(part, 0);
                Assert.BytesEqual(ZooVectors.PartFeatures(i), part, 0, "part features of frame " + i.ToString());
                it.RunRest();
                it.CopyFullFeatures(full, 0);
                Assert.BytesEqual(ZooVectors.FullFeatures(i), full, 0, "full features of frame " + i.ToString());
            }
        }

        public static void LogisticTaskTrainsAndAnswersAsTheHost()
        {
            TrainAndCheck(HeadKind.Logistic, ZooVectors.LogisticTaskName, ZooVectors.LogisticTaskBytes(), ZooVectors.LogisticAnswers());
        }

        public static void RidgeTaskTrainsAndAnswersAsTheHost()
        {
            TrainAndCheck(HeadKind.Ridge, ZooVectors.RidgeTaskName, ZooVectors.RidgeTaskBytes(), ZooVectors.RidgeAnswers());
        }

        /// <summary>Features of the training frames computed here, a task trained here (TaskTrainer,
        /// both heads of one kind, threshold calibrated for r = 0.5), staged answers here.</summary>
        static void TrainAndCheck(HeadKind kind, string name, byte[] expectedTask, ZooAnswer[] expected)
        {
            var staged = new StagedClassifier(new Interpreter(Load()));
            int[] train = ZooVectors.TrainFrames();
            int[] labels = ZooVectors.Labels();
            string[] classNames = ZooVectors.ClassNames();
            SampleStore part = staged.NewPartStore(classNames.Length, train.Length);
            SampleStore full = staged.NewFullStore(classNames.Length, train.Length);
            for (int i = 0; i < train.Length; i++)
                staged.AddSample(ZooVectors.Frame(train[i]), FrameFormat.Gray8, ZooVectors.FrameWidth, ZooVectors.FrameHeight,
                    labels[train[i]], part, full);
            ClassifierTask task = TaskTrainer.Train(name, classNames, part, full, ZooVectors.Options(kind));
            part = null;
            full = null;
            Assert.BytesEqual(expectedTask, TaskSerializer.ToBytes(task), kind == HeadKind.Logistic ? "logistic task bytes" : "ridge task bytes");
            CheckAnswers(staged, task, expected);
        }

        static void CheckAnswers(StagedClassifier staged, ClassifierTask task, ZooAnswer[] expected)
        {
            int[] test = ZooVectors.TestFrames();
            var result = new StagedResult();
            for (int i = 0; i < test.Length; i++)
            {
                staged.Classify(ZooVectors.Frame(test[i]), FrameFormat.Gray8, ZooVectors.FrameWidth, ZooVectors.FrameHeight, task, result);
                string what = task.Name + ", held-out frame " + i.ToString();
                ZooAnswer e = expected[i];
                Assert.AreEqual(e.Label, result.Label, what + ": label");
                Assert.IsTrue(e.Stage == result.Stage, what + ": stage expected " + (e.Stage == Stage.Part ? "part" : "full"));
                Assert.IsTrue(e.Confidence == result.Confidence,
                    what + ": confidence expected " + e.Confidence.ToString() + ", got " + result.Confidence.ToString());
                Assert.IsTrue(e.PartConfidence == result.PartConfidence,
                    what + ": part confidence expected " + e.PartConfidence.ToString() + ", got " + result.PartConfidence.ToString());
                Assert.AreEqual(e.Macs, result.Macs, what + ": MACs");
            }
        }

        /// <summary>The host's logistic task, saved through TaskStorage and loaded back: same bytes, same answers.</summary>
        public static void SavedTaskLoadsAndAnswersAsTheHost()
        {
            byte[] bytes = ZooVectors.LogisticTaskBytes();
            var storage = new MemoryStorage();
            new TaskStorage(storage).Save(TaskSerializer.FromBytes(bytes));
            ClassifierTask loaded = new TaskStorage(storage).Load(ZooVectors.LogisticTaskName);
            Assert.IsTrue(loaded != null, "the saved task loads");
            Assert.BytesEqual(bytes, TaskSerializer.ToBytes(loaded), "task bytes after save and load");
            Assert.IsTrue(loaded.Threshold == ZooVectors.LogisticThreshold, "threshold survives exactly");
            CheckAnswers(new StagedClassifier(new Interpreter(Load())), loaded, ZooVectors.LogisticAnswers());
        }
    }
}

using System;
using MicroT.Runtime.Classifier;
using MicroT.Runtime.DeviceTests.Framework;

namespace MicroT.Runtime.DeviceTests.Cases
{
    /// <summary>
    /// Head training and task persistence on the device. The training data are int8 feature
    /// clusters made on the device by a fixed generator, so the expected answers are the
    /// cluster labels themselves (no golden weights: float rounding on the ESP32 FPU may move
    /// L-BFGS or the Cholesky solves by an ulp here and there; what must hold is the classification).
    /// Persistence goes through TaskStorage on an in-memory IByteStorage that can cut a write short.
    /// </summary>
    public static class HeadTests
    {
        const string Class = "HeadTests";
        const int Features = 12, Classes = 3, PerClass = 10;

        public static void Register(TestRunner r)
        {
            r.Add(Class, "LogisticHeadLearnsSeparableClusters", LogisticHeadLearnsSeparableClusters);
            r.Add(Class, "RidgeHeadLearnsSeparableClusters", RidgeHeadLearnsSeparableClusters);
            r.Add(Class, "TaskTrainerCalibratesAThresholdForHalfThePart", TaskTrainerCalibratesAThresholdForHalfThePart);
            r.Add(Class, "SavedTaskLoadsBitForBit", SavedTaskLoadsBitForBit);
            r.Add(Class, "WriteCutShortKeepsThePreviousTask", WriteCutShortKeepsThePreviousTask);
            r.Add(Class, "CorruptSlotsAreReportedNotLoaded", CorruptSlotsAreReportedNotLoaded);
        }

        /// <summary>Class c: feature j near 60 when j % Classes == c, near -60 otherwise, +-20 noise.</summary>
        static SampleStore Clusters(int perClass, int seed)
        {
            var store = new SampleStore(Features, 0.05f, 3, Classes, Classes * perClass);
            var row = new sbyte[Features];
            uint state = (uint)seed;
            for (int i = 0; i < perClass; i++)
            {
                for (int c = 0; c < Classes; c++)
                {
                    for (int j = 0; j < Features; j++)
                    {
                        state = state * 1664525u + 1013904223u; // Numerical Recipes LCG
                        int noise = (int)(state >> 24) % 41 - 20;
                        row[j] = (sbyte)((j % Classes == c ? 60 : -60) + noise);
                    }
                    store.Add(row, 0, c);
                }
            }
            return store;
        }

        static void CheckSeparates(LinearHead head)
        {
            SampleStore fresh = Clusters(6, 777); // points the head was not trained on
            var scores = new float[Classes];
            for (int i = 0; i < fresh.Count; i++)
            {
                head.Score(fresh.Features, i * Features, scores);
                Assert.AreEqual(fresh.GetLabel(i), LinearHead.ArgMax(scores, Classes), "class of held-out point " + i.ToString());
            }
        }

        public static void LogisticHeadLearnsSeparableClusters()
        {
            var options = new HeadOptions();
            options.Kind = HeadKind.Logistic; // the default is ridge
            LinearHead head = HeadTrainer.Fit(Clusters(PerClass, 1), options);
            Assert.AreEqual(Classes, head.ClassCount, "ClassCount");
            CheckSeparates(head);
        }

        public static void RidgeHeadLearnsSeparableClusters()
        {
            var options = new HeadOptions();
            options.Kind = HeadKind.Ridge;
            CheckSeparates(HeadTrainer.Fit(Clusters(PerClass, 2), options));
        }

        public static void TaskTrainerCalibratesAThresholdForHalfThePart()
        {
            ClassifierTask task = TrainTask("half", 3);
            Assert.IsTrue(task.Threshold >= 0f && task.Threshold <= 1f,
                "threshold for r = 0.5 must be a confidence in [0, 1], got " + task.Threshold.ToString());
            CheckSeparates(task.PartHead);
            CheckSeparates(task.FullHead);
        }

        static ClassifierTask TrainTask(string name, int seed)
        {
            var options = new TaskTrainingOptions();
            options.Ratio = 0.5f;
            options.Folds = 3;
            return TaskTrainer.Train(name, new string[] { "a", "b", "c" }, Clusters(PerClass, seed), Clusters(PerClass, seed + 100), options);
        }

        public static void SavedTaskLoadsBitForBit()
        {
            var storage = new MemoryStorage();
            ClassifierTask task = TrainTask("saved", 4);
            new TaskStorage(storage).Save(task);
            ClassifierTask loaded = new TaskStorage(storage).Load("saved");
            Assert.IsTrue(loaded != null, "a saved task loads");
            Assert.AreEqual("saved", loaded.Name, "Name");
            Assert.AreEqual("c", loaded.ClassNames[2], "class name");
            Assert.IsTrue(loaded.Threshold == task.Threshold, "threshold survives exactly");
            SameHead(task.PartHead, loaded.PartHead, "part head");
            SameHead(task.FullHead, loaded.FullHead, "full head");
            Assert.IsTrue(new TaskStorage(storage).Load("never") == null, "a task never saved loads as null");
        }

        public static void WriteCutShortKeepsThePreviousTask()
        {
            var storage = new MemoryStorage();
            var tasks = new TaskStorage(storage);
            ClassifierTask first = TrainTask("cut", 5);
            first.Threshold = 0.25f;
            tasks.Save(first);
            ClassifierTask second = TrainTask("cut", 6);
            second.Threshold = 0.75f;
            storage.CutNextWriteAt = 40; // power lost 40 bytes into the second save
            tasks.Save(second);
            ClassifierTask loaded = tasks.Load("cut");
            Assert.IsTrue(loaded != null && loaded.Threshold == 0.25f, "the first task survives a cut save");
            tasks.Save(second);
            Assert.IsTrue(tasks.Load("cut").Threshold == 0.75f, "a complete save then wins");
        }

        public static void CorruptSlotsAreReportedNotLoaded()
        {
            var storage = new MemoryStorage();
            new TaskStorage(storage).Save(TrainTask("bad", 7));
            byte[] slot = storage.Read("bad.0");
            Assert.IsTrue(slot != null, "slot 0 written first");
            slot[slot.Length / 2] ^= 0x40;
            storage.Write("bad.0", slot);
            Assert.ThrowsException(typeof(TaskFormatException), delegate { new TaskStorage(storage).Load("bad"); }, "only copy corrupt");
        }

        static void SameHead(LinearHead a, LinearHead b, string what)
        {
            Assert.AreEqual(a.FeatureLength, b.FeatureLength, what + " FeatureLength");
            Assert.AreEqual(a.ClassCount, b.ClassCount, what + " ClassCount");
            Assert.IsTrue(a.IsQuantized == b.IsQuantized, what + " IsQuantized");
            if (a.IsQuantized)
            {
                for (int i = 0; i < a.QuantizedWeights.Length; i++)
                    Assert.IsTrue(a.QuantizedWeights[i] == b.QuantizedWeights[i], what + " weight " + i.ToString());
                for (int i = 0; i < a.WeightScales.Length; i++)
                    Assert.IsTrue(a.WeightScales[i] == b.WeightScales[i], what + " weight scale " + i.ToString());
            }
            else
                for (int i = 0; i < a.Weights.Length; i++)
                    Assert.IsTrue(a.Weights[i] == b.Weights[i], what + " weight " + i.ToString());
            for (int i = 0; i < a.Bias.Length; i++)
                Assert.IsTrue(a.Bias[i] == b.Bias[i], what + " bias " + i.ToString());
        }
    }
}

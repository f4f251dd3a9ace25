using System;
using MicroT.Runtime.Classifier;
using MicroT.ProbeCommon;

namespace MicroT.TrainingProbe
{
    /// <summary>
    /// Trains tasks the way an app does (TaskTrainer.Train, default options) on stores of the zoo
    /// model's feature lengths filled with deterministic pseudo-random int8 features (the shape
    /// and the work come from ProbeShape.cs, written by probe.sh), and prints one line per step:
    /// "free N" (bytes a greedy allocation finds), "stores", "trained", "done". Mode "stores"
    /// stops after filling the stores (the baseline the training run's smallest heap is compared
    /// with); "train" trains ProbeShape.Tasks tasks, each from fresh stores that are dropped after
    /// training, and reports the heap the trained tasks keep; "float" does the same with float
    /// head weights.
    /// </summary>
    public static class Program
    {
        /// <summary>Free-heap steps: 1 KB arrays, then 240-, 48- and 8-byte ones.</summary>
        static readonly int[] FreeSteps = new int[] { 1024, 240, 48, 8 };

        static int Free()
        {
            return FreeHeap.Measure(FreeSteps);
        }

        static uint _state = 12345;

        static sbyte Next()
        {
            _state = _state * 1664525u + 1013904223u;
            return (sbyte)(_state >> 24);
        }

        static SampleStore Fill(int length, int n, int classes)
        {
            var store = new SampleStore(length, 0.02f, -128, classes, n);
            var row = new sbyte[length];
            for (int i = 0; i < n; i++)
            {
                for (int j = 0; j < length; j++) row[j] = Next();
                store.Add(row, 0, i % classes);
            }
            return store;
        }

        public static void Main()
        {
            int n = ProbeShape.Samples, classes = ProbeShape.Classes;
            string[] names = new string[classes];
            for (int c = 0; c < classes; c++) names[c] = "c" + c.ToString();
            Console.WriteLine("free " + Free().ToString());
            ClassifierTask[] tasks = new ClassifierTask[ProbeShape.Tasks];
            for (int t = 0; t < tasks.Length; t++)
            {
                _state = 12345;                       // the same samples every time
                SampleStore part = Fill(ProbeShape.PartLength, n, classes);
                SampleStore full = Fill(ProbeShape.FullLength, n, classes);
                Console.WriteLine("stores");
                if (ProbeShape.Mode == "stores") { Console.WriteLine("free " + Free().ToString()); Console.WriteLine("done"); return; }
                var options = new TaskTrainingOptions();
                options.Part.QuantizeWeights = options.Full.QuantizeWeights = ProbeShape.Mode != "float";
                tasks[t] = TaskTrainer.Train("t" + t.ToString(), names, part, full, options);
                part = null;
                full = null;
                Console.WriteLine("trained");
                Console.WriteLine("free " + Free().ToString());
            }
            Console.WriteLine("done");
        }
    }
}

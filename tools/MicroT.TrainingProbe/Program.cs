using System;
using MicroT.Runtime.Classifier;

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
        sealed class Block
        {
            public Block Next;
            public byte[] Data;
        }

        /// <summary>Bytes the heap can still give (1 KB arrays, then 240-, 48- and 8-byte ones), all released again.</summary>
        static int Free()
        {
            Block head = null;
            int total = 0;
            int size = 1024;
            while (size > 0)
            {
                try
                {
                    while (true)
                    {
                        Block b = new Block();
                        b.Data = new byte[size];
                        b.Next = head;
                        head = b;
                        total += size;
                    }
                }
                catch (OutOfMemoryException) { }
                size = size == 1024 ? 240 : size == 240 ? 48 : size == 48 ? 8 : 0;
            }
            head = null;
            return total;
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

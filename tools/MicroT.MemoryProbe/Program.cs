using System;
using MicroT.Runtime.Classifier;
using MicroT.Runtime.Models;
using MicroT.ProbeCommon;
using MicroT.ZooModel;

namespace MicroT.MemoryProbe
{
    /// <summary>
    /// Prints one line per step so a run at a given --heap shows how far it got, with "free N"
    /// (bytes a greedy allocation finds, everything released again) after each: "loaded" (the zoo
    /// model, Model.Load), "interpreter", "trained fashion" and "trained digits" (two 10-class
    /// tasks trained on the device with the default training from ProbeFrames, their stores
    /// dropped), the self-test result, a "steady:" line (what each part holds: differences of
    /// free bytes) and "done". ProbeMode.Mode "chunked" loads from the chunks (ZooSource),
    /// "array" first concatenates them into one byte[] (the whole file in RAM, as
    /// Model.Load(byte[]) needs).
    /// </summary>
    public static class Program
    {
        /// <summary>Free-heap steps: arrays of 32 KB, then halving down to 1 KB, then 48-byte ones.</summary>
        static readonly int[] FreeSteps = new int[] { 32768, 16384, 8192, 4096, 2048, 1024, 48 };

        static int Free()
        {
            return FreeHeap.Measure(FreeSteps);
        }

        static int Report()
        {
            int free = Free();
            Console.WriteLine("free " + free.ToString());
            return free;
        }

        public static void Main()
        {
            int start = Report();
            Model model = ProbeMode.Mode == "array" ? Model.Load(ZooModelFile.Bytes()) : Model.Load(new ZooSource());
            Console.WriteLine("loaded " + model.Name);
            int loaded = Report();
            var staged = new StagedClassifier(new Interpreter(model));
            Console.WriteLine("interpreter");
            int interpreter = Report();
            ClassifierTask first = Train(staged, 0);
            Report();
            ClassifierTask second = Train(staged, 1);
            int trained = Report();
            SelfTestResult r = staged.Interpreter.SelfTest(new ZooSource());
            Console.WriteLine(r.Message);
            Report();
            // Every object measured is used below, so none is collectable before this line (the
            // CLR may collect what a method no longer uses).
            Console.WriteLine("steady: model " + (start - loaded).ToString() + " B, interpreter " + (loaded - interpreter).ToString() +
                " B, two trained 10-class tasks " + (interpreter - trained).ToString() + " B ('" + first.Name + "', '" + second.Name +
                "' on '" + staged.Model.Name + "'), total " + (start - trained).ToString() + " B");
            Console.WriteLine("done");
        }

        /// <summary>A 10-class task trained on the device with the default training; its stores are garbage on return.</summary>
        static ClassifierTask Train(StagedClassifier staged, int task)
        {
            int n = ProbeFrames.FramesPerTask;
            SampleStore part = staged.NewPartStore(ProbeFrames.ClassCount, n);
            SampleStore full = staged.NewFullStore(ProbeFrames.ClassCount, n);
            for (int i = 0; i < n; i++)
                staged.AddSample(ProbeFrames.Frame(task, i), FrameFormat.Gray8, ProbeFrames.Width, ProbeFrames.Height,
                    i % ProbeFrames.ClassCount, part, full);
            ClassifierTask trained = TaskTrainer.Train(ProbeFrames.TaskName(task), ProbeFrames.ClassNames(task), part, full, new TaskTrainingOptions());
            Console.WriteLine("trained " + trained.Name);
            return trained;
        }
    }
}

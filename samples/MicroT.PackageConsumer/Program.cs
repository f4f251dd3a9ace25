using System;
using System.Threading;
using MicroT.PackageConsumer.Generated;
using MicroT.Runtime.Classifier;
using MicroT.Runtime.Models;
using MicroT.ZooModel;

namespace MicroT.PackageConsumer
{
    /// <summary>
    /// What a user's app does with the package: load the default model, load a saved task,
    /// classify one frame with staged inference and print the answer.
    /// </summary>
    public static class Program
    {
        public static void Main()
        {
            Model model = Model.Load(new ZooSource()); // streamed from its chunks: the file is never one array in RAM
            var staged = new StagedClassifier(new Interpreter(model));
            ClassifierTask task = TaskSerializer.FromBytes(ConsumerData.TaskBytes());
            var result = new StagedResult();
            staged.Classify(ConsumerData.Frame(), FrameFormat.Gray8, 28, 28, task, result);
            Console.WriteLine("model '" + model.Name + "', task '" + task.Name + "'");
            Console.WriteLine("answer: " + result.ClassName + " (label " + result.Label.ToString() + ", " +
                (result.Stage == Stage.Part ? "part" : "full") + " model, confidence " + result.Confidence.ToString("F4") + ")");
            Thread.Sleep(Timeout.Infinite);
        }
    }
}

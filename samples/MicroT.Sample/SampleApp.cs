using System;
using MicroT.Runtime.Classifier;
using MicroT.Runtime.Models;
using MicroT.Sample.Generated;
using MicroT.ZooModel;

namespace MicroT.Sample
{
    /// <summary>Where the sample writes its report (Console on the ESP32 and on the host).</summary>
    public delegate void LineWriter(string line);

    /// <summary>
    /// The MicroT flow on the device, end to end: load the default zoo model from its embedded
    /// chunks (samples/MicroT.ZooModel; the file is never one array in RAM), learn two tasks from
    /// a few labelled frames (features from the part and the full model, the default training:
    /// ridge heads, threshold calibrated for r = 0.5), then classify held-out frames with staged
    /// inference (the part model answers when its head is confident, otherwise the rest of the
    /// model resumes from the split activation) and report accuracy, the share answered by the
    /// part model, microseconds per stage and the memory the runtime holds.
    /// <para>
    /// To classify camera frames instead of embedded ones, replace <c>SampleFrames.Frame</c>
    /// in <c>Classify</c> with your camera's buffer and pass its <c>FrameFormat</c> (Gray8,
    /// Rgb565 or Rgb888) and size: <c>Interpreter.SetInput</c> resizes and converts any frame.
    /// </para>
    /// </summary>
    public static class SampleApp
    {
        /// <summary>Ticks of DateTime are 100 ns; DateTime.UtcNow has microsecond resolution on ESP32.</summary>
        const long TicksPerMicrosecond = 10;

        public static void Run(LineWriter write)
        {
            long t0 = DateTime.UtcNow.Ticks;
            // Streamed from its chunks (one 8 KB chunk in RAM at a time): a plain ESP32's heap never
            // holds the whole file beside the model it becomes.
            Model model = Model.Load(new ZooSource());
            var staged = new StagedClassifier(new Interpreter(model));
            write("model '" + model.Name + "' (the default zoo model, " + ZooModelFile.Length.ToString() + "-byte file read in " +
                  ZooModelFile.ChunkSize.ToString() + "-byte chunks): input " + model.InputHeight.ToString() + "x" +
                  model.InputWidth.ToString() + "x" + model.InputChannels.ToString() + ", part " + model.PartMacs.ToString() +
                  " MACs, full " + model.FullMacs.ToString() + " MACs, loaded in " + Micros(t0).ToString() + " us");
            write("memory held by the model: weights " + model.Weights.Length.ToString() + " B, arena " + model.ArenaSize.ToString() + " B");

            // One task at a time: a task and its stores are garbage before the next is trained, so
            // the heap holds one task's stores and training at a time (an app that answers for
            // several tasks keeps them in a TaskSet: a trained 3-class task's heads are
            // 3 x (64 + 128) floats).
            for (int task = 0; task < SampleFrames.TaskCount; task++) TrainAndClassify(write, staged, task);
            // mscorlib has no free-memory query; nanoFramework.Runtime.Native's GC.Run(false) returns
            // the free managed heap in bytes if your app references that package.
            write("free memory: not available from mscorlib alone (nanoFramework.Runtime.Native.GC.Run(false) reports it)");
        }

        static void TrainAndClassify(LineWriter write, StagedClassifier staged, int task)
        {
            Classify(write, staged, task, Train(write, staged, task));
        }

        /// <summary>Extracts part and full features of the task's training frames and trains the task (default options).</summary>
        static ClassifierTask Train(LineWriter write, StagedClassifier staged, int task)
        {
            int n = SampleFrames.TrainCount(task);
            string[] classNames = SampleFrames.ClassNames(task);
            // Stores sized to the frames: 18 x (64 + 128) feature bytes. No more samples than features,
            // so they keep no Gram matrix and ridge trains in its dual form (an 18 x 18 kernel).
            SampleStore part = staged.NewPartStore(classNames.Length, n);
            SampleStore full = staged.NewFullStore(classNames.Length, n);
            long t0 = DateTime.UtcNow.Ticks;
            for (int i = 0; i < n; i++)
            {
                int frame = SampleFrames.TrainFrame(task, i);
                // A labelled camera frame would go here, as in Classify.
                staged.AddSample(SampleFrames.Frame(frame), SampleFrames.Format, SampleFrames.Width, SampleFrames.Height,
                    SampleFrames.Label(frame), part, full);
            }
            long extracted = DateTime.UtcNow.Ticks;
            var options = new TaskTrainingOptions(); // the defaults: ridge heads, r = 0.5
            ClassifierTask trained = TaskTrainer.Train(SampleFrames.TaskName(task), classNames, part, full, options);
            write("task '" + trained.Name + "': " + n.ToString() + " training frames, " + classNames.Length.ToString() +
                  " classes; features " + Micros(t0, extracted).ToString() + " us, training + calibration " +
                  Micros(extracted).ToString() + " us; threshold " + trained.Threshold.ToString("F3") + " for r = " + options.Ratio.ToString("F1"));
            return trained;
        }

        /// <summary>Staged inference on the task's held-out frames: accuracy, part share, time per stage.</summary>
        static void Classify(LineWriter write, StagedClassifier staged, int task, ClassifierTask trained)
        {
            int n = SampleFrames.TestCount(task);
            var result = new StagedResult();
            int correct = 0, byPart = 0;
            long input = 0, partAnswers = 0, fullAnswers = 0, macs = 0;
            for (int i = 0; i < n; i++)
            {
                int frame = SampleFrames.TestFrame(task, i);
                byte[] pixels = SampleFrames.Frame(frame); // swap in a camera frame here (and its format and size below)
                long t0 = DateTime.UtcNow.Ticks;
                staged.Interpreter.SetInput(pixels, SampleFrames.Format, SampleFrames.Width, SampleFrames.Height);
                long t1 = DateTime.UtcNow.Ticks;
                staged.Classify(trained, result);
                long t2 = DateTime.UtcNow.Ticks;
                input += t1 - t0;
                if (result.Stage == Stage.Part)
                {
                    byPart++;
                    partAnswers += t2 - t1;
                }
                else
                {
                    fullAnswers += t2 - t1;
                }
                macs += result.Macs;
                if (result.Label == SampleFrames.Label(frame)) correct++;
            }
            int byFull = n - byPart;
            long fullCost = staged.FullCost(trained);
            write("task '" + trained.Name + "': accuracy " + correct.ToString() + "/" + n.ToString() + " = " + Percent(correct, n) +
                  ", part model answered " + byPart.ToString() + "/" + n.ToString() + " = " + Percent(byPart, n) +
                  ", MACs per frame " + (macs / n).ToString() + " vs " + fullCost.ToString() + " always-full");
            write("task '" + trained.Name + "': us per frame: input " + (input / TicksPerMicrosecond / n).ToString() +
                  ", answered by part (part model + head) " + (byPart == 0 ? "-" : (partAnswers / TicksPerMicrosecond / byPart).ToString()) +
                  ", answered by full (part + rest resumed + heads) " + (byFull == 0 ? "-" : (fullAnswers / TicksPerMicrosecond / byFull).ToString()));
        }

        static long Micros(long startTicks)
        {
            return Micros(startTicks, DateTime.UtcNow.Ticks);
        }

        static long Micros(long startTicks, long endTicks)
        {
            return (endTicks - startTicks) / TicksPerMicrosecond;
        }

        static string Percent(int part, int whole)
        {
            return whole == 0 ? "-" : ((float)part * 100f / whole).ToString("F1") + " %";
        }
    }
}

using MicroT.Profiler;
using MicroT.Runtime.Classifier;
using MicroT.Runtime.Models;

namespace MicroT.Evaluation;

/// <summary>
/// The answer paths as the device runs them, built inside the profiler's counting context by
/// <see cref="CostMeter"/> (so every runtime type here is the counting copy). Setup (loading
/// the model and the task, allocating buffers) is not counted; each Run answers every frame.
/// </summary>
public static class CostWorkloads
{
    public const string PartAnswer = "part answer", FullAnswer = "full answer", FullOnly = "full-only";

    public static Workload[] Create(byte[] modelFile, byte[] taskBytes, byte[][] frames, int width, int height)
    {
        var model = Model.Load(modelFile);
        var interpreter = new Interpreter(model);
        var task = TaskSerializer.FromBytes(taskBytes);
        int classes = task.ClassCount;
        var scores = new float[classes];
        var sink = new int[1];
        var arena = interpreter.Arena;

        // Input, part model, part head and its confidence: the part head is confident.
        void Part()
        {
            foreach (var frame in frames)
            {
                interpreter.SetInput(frame, FrameFormat.Gray8, width, height);
                interpreter.RunPart();
                task.PartHead.Score(arena, interpreter.PartFeatureOffset, scores);
                float confidence = LinearHead.Confidence(scores, classes);
                sink[0] += LinearHead.ArgMax(scores, classes) + (confidence >= 0f ? 1 : 0);
            }
        }

        // As Part, the part head not confident: the rest of the model resumes from the split and the full head answers.
        void Full()
        {
            foreach (var frame in frames)
            {
                interpreter.SetInput(frame, FrameFormat.Gray8, width, height);
                interpreter.RunPart();
                task.PartHead.Score(arena, interpreter.PartFeatureOffset, scores);
                float confidence = LinearHead.Confidence(scores, classes);
                interpreter.RunRest();
                task.FullHead.Score(arena, interpreter.FullFeatureOffset, scores);
                sink[0] += LinearHead.ArgMax(scores, classes) + (confidence >= 0f ? 1 : 0);
            }
        }

        // No stage decision: the whole model and the full head.
        void Only()
        {
            foreach (var frame in frames)
            {
                interpreter.SetInput(frame, FrameFormat.Gray8, width, height);
                interpreter.RunFull();
                task.FullHead.Score(arena, interpreter.FullFeatureOffset, scores);
                sink[0] += LinearHead.ArgMax(scores, classes);
            }
        }

        return
        [
            new Workload("eval", PartAnswer, "", model.PartMacs, frames.Length, Part),
            new Workload("eval", FullAnswer, "", model.FullMacs, frames.Length, Full),
            new Workload("eval", FullOnly, "", model.FullMacs, frames.Length, Only),
        ];
    }
}

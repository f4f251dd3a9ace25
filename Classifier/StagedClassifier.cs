using System;
using MicroT.Runtime.Models;

namespace MicroT.Runtime.Classifier
{
    /// <summary>Which stage answered.</summary>
    public enum Stage
    {
        /// <summary>The part head was confident enough: the rest of the model did not run.</summary>
        Part = 1,
        /// <summary>The full model resumed from the split and the full head answered.</summary>
        Full = 2,
    }

    /// <summary>The answer for one frame and one task. Reused between calls so that classifying
    /// allocates nothing: copy what you need to keep.</summary>
    public sealed class StagedResult
    {
        /// <summary>Predicted class index.</summary>
        public int Label;
        /// <summary>Largest softmax probability of the head that answered.</summary>
        public float Confidence;
        /// <summary>Confidence of the part head (the one compared with the threshold).</summary>
        public float PartConfidence;
        /// <summary>Which stage answered.</summary>
        public Stage Stage;
        /// <summary>Multiply-accumulates spent on this frame for this task: the model's part (and,
        /// when the full model ran, rest) MACs from the model metadata, plus the heads' MACs.</summary>
        public long Macs;
        /// <summary>The task's name of Label (a reference into the task, not a copy).</summary>
        public string ClassName;
    }

    /// <summary>
    /// MicroT's joint inference on one extractor: run the part model, score the pooled part
    /// features with the task's part head, answer when the confidence (largest softmax
    /// probability) is at or above the task's threshold; otherwise resume the model from the
    /// cached split activation (the first blocks are not recomputed) and answer with the full
    /// head. Several tasks share one pass: the part runs once and the rest at most once.
    /// After construction nothing allocates per frame.
    /// </summary>
    public sealed class StagedClassifier
    {
        readonly Interpreter _interpreter;
        readonly Model _model;
        float[] _scores = new float[16];

        /// <summary>Wraps an interpreter (one per model; it owns the arena).</summary>
        public StagedClassifier(Interpreter interpreter)
        {
            if (interpreter == null) throw new ArgumentNullException("interpreter");
            _interpreter = interpreter;
            _model = interpreter.Model;
        }

        /// <summary>The interpreter that runs the model (part, then the rest when needed).</summary>
        public Interpreter Interpreter { get { return _interpreter; } }
        /// <summary>The interpreter's model (source of the part and full MACs).</summary>
        public Model Model { get { return _model; } }

        /// <summary>MACs of a frame the part head answers: part model + part head.</summary>
        public long PartCost(ClassifierTask task)
        {
            Check(task);
            return _model.PartMacs + task.PartHead.Macs;
        }

        /// <summary>MACs of a frame sent on to the full model: full model + both heads.</summary>
        public long FullCost(ClassifierTask task)
        {
            Check(task);
            return _model.FullMacs + task.PartHead.Macs + task.FullHead.Macs;
        }

        /// <summary>A sample store for this model's part features (keeping its Gram matrix when
        /// capacity exceeds the feature length: see SampleStore).</summary>
        public SampleStore NewPartStore(int classCount, int capacity)
        {
            return NewPartStore(classCount, capacity, capacity > _model.PartFeatureLength);
        }

        /// <summary>A sample store for this model's part features; keepGram: see SampleStore.</summary>
        public SampleStore NewPartStore(int classCount, int capacity, bool keepGram)
        {
            return new SampleStore(_model.PartFeatureLength, _model.PartFeatureScale, _model.PartFeatureZeroPoint, classCount, capacity, keepGram);
        }

        /// <summary>A sample store for this model's full features (keeping its Gram matrix when
        /// capacity exceeds the feature length: see SampleStore).</summary>
        public SampleStore NewFullStore(int classCount, int capacity)
        {
            return NewFullStore(classCount, capacity, capacity > _model.FullFeatureLength);
        }

        /// <summary>A sample store for this model's full features; keepGram: see SampleStore.</summary>
        public SampleStore NewFullStore(int classCount, int capacity, bool keepGram)
        {
            return new SampleStore(_model.FullFeatureLength, _model.FullFeatureScale, _model.FullFeatureZeroPoint, classCount, capacity, keepGram);
        }

        /// <summary>Runs the whole model on the frame and adds its part and full features, with
        /// label, to the two stores (a local training sample).</summary>
        public void AddSample(byte[] frame, FrameFormat format, int width, int height, int label, SampleStore part, SampleStore full)
        {
            CheckStores(part, full);
            _interpreter.SetInput(frame, format, width, height);
            AddSample(label, part, full);
        }

        /// <summary>As AddSample with a frame, for input already set with Interpreter.SetInput.</summary>
        public void AddSample(int label, SampleStore part, SampleStore full)
        {
            CheckStores(part, full);
            _interpreter.RunPart();
            _interpreter.RunRest();
            part.Add(_interpreter.Arena, _interpreter.PartFeatureOffset, label);
            full.Add(_interpreter.Arena, _interpreter.FullFeatureOffset, label);
        }

        /// <summary>Classifies one raw frame (Gray8, RGB565 or RGB888, any size) for one task.</summary>
        public void Classify(byte[] frame, FrameFormat format, int width, int height, ClassifierTask task, StagedResult result)
        {
            Check(task);
            if (result == null) throw new ArgumentNullException("result");
            _interpreter.SetInput(frame, format, width, height);
            Classify(task, result);
        }

        /// <summary>Classifies the input already set with Interpreter.SetInput for one task.</summary>
        public void Classify(ClassifierTask task, StagedResult result)
        {
            Check(task);
            if (result == null) throw new ArgumentNullException("result");
            _interpreter.RunPart();
            if (!ScorePart(task, result)) RunRestAndScoreFull(task, result);
        }

        /// <summary>
        /// Classifies one raw frame for every task of the set (results[i] for tasks[i]): the part
        /// model runs once; the rest runs once if any task is below its threshold. Each result's
        /// Macs is what that task alone would have cost.
        /// </summary>
        public void ClassifyAll(byte[] frame, FrameFormat format, int width, int height, TaskSet tasks, StagedResult[] results)
        {
            if (tasks == null) throw new ArgumentNullException("tasks");
            if (results == null) throw new ArgumentNullException("results");
            if (results.Length < tasks.Count) throw new ArgumentException("results must hold " + tasks.Count + " entries, has " + results.Length);
            for (int i = 0; i < tasks.Count; i++)
            {
                Check(tasks[i]);
                if (results[i] == null) throw new ArgumentException("results[" + i + "] is null");
            }
            _interpreter.SetInput(frame, format, width, height);
            _interpreter.RunPart();
            bool needRest = false;
            for (int i = 0; i < tasks.Count; i++)
                if (!ScorePart(tasks[i], results[i])) needRest = true;
            if (!needRest) return;
            _interpreter.RunRest();
            for (int i = 0; i < tasks.Count; i++)
                if (results[i].Stage == Stage.Full) ScoreFull(tasks[i], results[i]);
        }

        /// <summary>Scores the part features; true (and the result filled) when the part head answers.</summary>
        bool ScorePart(ClassifierTask task, StagedResult result)
        {
            LinearHead head = task.PartHead;
            float[] scores = Scores(head.ClassCount);
            head.Score(_interpreter.Arena, _interpreter.PartFeatureOffset, scores);
            int label = LinearHead.ArgMax(scores, head.ClassCount);
            float confidence = LinearHead.Confidence(scores, head.ClassCount);
            result.PartConfidence = confidence;
            if (confidence >= task.Threshold)
            {
                result.Label = label;
                result.Confidence = confidence;
                result.Stage = Stage.Part;
                result.Macs = _model.PartMacs + head.Macs;
                result.ClassName = task.ClassNames[label];
                return true;
            }
            result.Stage = Stage.Full;
            return false;
        }

        void RunRestAndScoreFull(ClassifierTask task, StagedResult result)
        {
            _interpreter.RunRest();
            ScoreFull(task, result);
        }

        void ScoreFull(ClassifierTask task, StagedResult result)
        {
            LinearHead head = task.FullHead;
            float[] scores = Scores(head.ClassCount);
            head.Score(_interpreter.Arena, _interpreter.FullFeatureOffset, scores);
            int label = LinearHead.ArgMax(scores, head.ClassCount);
            result.Label = label;
            result.Confidence = LinearHead.Confidence(scores, head.ClassCount);
            result.Stage = Stage.Full;
            result.Macs = _model.FullMacs + task.PartHead.Macs + head.Macs;
            result.ClassName = task.ClassNames[label];
        }

        /// <summary>The score buffer, grown (once) for a task with more classes than seen so far.</summary>
        float[] Scores(int classes)
        {
            if (_scores.Length < classes) _scores = new float[classes];
            return _scores;
        }

        void Check(ClassifierTask task)
        {
            if (task == null) throw new ArgumentNullException("task");
            Model m = _model;
            if (!task.PartHead.Accepts(m.PartFeatureLength, m.PartFeatureScale, m.PartFeatureZeroPoint))
                throw new ArgumentException("task '" + task.Name + "': its part head takes " + task.PartHead.FeatureLength
                    + " features (scale " + task.PartHead.FeatureScale.ToString() + ", zero point " + task.PartHead.FeatureZeroPoint
                    + ") but model '" + m.Name + "' gives " + m.PartFeatureLength + " (scale " + m.PartFeatureScale.ToString()
                    + ", zero point " + m.PartFeatureZeroPoint + ")");
            if (!task.FullHead.Accepts(m.FullFeatureLength, m.FullFeatureScale, m.FullFeatureZeroPoint))
                throw new ArgumentException("task '" + task.Name + "': its full head takes " + task.FullHead.FeatureLength
                    + " features (scale " + task.FullHead.FeatureScale.ToString() + ", zero point " + task.FullHead.FeatureZeroPoint
                    + ") but model '" + m.Name + "' gives " + m.FullFeatureLength + " (scale " + m.FullFeatureScale.ToString()
                    + ", zero point " + m.FullFeatureZeroPoint + ")");
        }

        void CheckStores(SampleStore part, SampleStore full)
        {
            if (part == null) throw new ArgumentNullException("part");
            if (full == null) throw new ArgumentNullException("full");
            Model m = _model;
            if (part.FeatureLength != m.PartFeatureLength || part.Scale != m.PartFeatureScale || part.ZeroPoint != m.PartFeatureZeroPoint)
                throw new ArgumentException("the part store does not hold this model's part features (use NewPartStore)");
            if (full.FeatureLength != m.FullFeatureLength || full.Scale != m.FullFeatureScale || full.ZeroPoint != m.FullFeatureZeroPoint)
                throw new ArgumentException("the full store does not hold this model's full features (use NewFullStore)");
        }
    }
}

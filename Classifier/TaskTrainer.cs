using System;

namespace MicroT.Runtime.Classifier
{
    /// <summary>Options for training a whole task.</summary>
    public sealed class TaskTrainingOptions
    {
        /// <summary>Defaults: ridge part and full heads, Ratio 0.5, 5 folds, 20 fold iterations.</summary>
        public TaskTrainingOptions()
        {
            Part = new HeadOptions();
            Full = new HeadOptions();
            Ratio = 0.5f;
            Folds = 5;
            FoldIterations = 20;
        }

        /// <summary>How to train the part head (default: ridge, strength chosen from the samples).</summary>
        public HeadOptions Part { get; set; }
        /// <summary>How to train the full head (default: ridge, strength chosen from the samples).</summary>
        public HeadOptions Full { get; set; }
        /// <summary>Fraction of samples the part head should answer (MicroT's standard: 0.5).</summary>
        public float Ratio { get; set; }
        /// <summary>Folds of the out-of-fold calibration (at least 2) when a head is logistic; two
        /// ridge heads are calibrated in closed form (leave-one-out) instead, without refits.</summary>
        public int Folds { get; set; }
        /// <summary>Logistic k-fold calibration: most L-BFGS iterations of each fold fit (at least 1),
        /// which starts from the head fitted on all samples (a warm start). The all-sample fits use
        /// HeadOptions.MaxIterations.</summary>
        public int FoldIterations { get; set; }
    }

    /// <summary>
    /// Trains a task from its local samples: both heads on all samples and the threshold for the
    /// ratio from predictions on samples the heads did not see.
    /// <para>
    /// Two ridge heads (the default): each head in closed form with its strength chosen by
    /// generalized cross-validation; the part head's new-sample scores (RidgeFit.NewSampleScores:
    /// each training residual scaled by its leverage to a new sample's prediction error, one
    /// triangular solve per sample, no refit) give a softmax temperature (the least cross-entropy
    /// on a fixed grid, applied to both heads: arg max unchanged, confidences calibrated) and the
    /// confidences the threshold is the quantile of; correctness is exact leave-one-out.
    /// Otherwise (a logistic head): the heads fitted on all samples first, then stratified k-fold
    /// refits (Calibration.Run) whose logistic fits start from them (warm starts) and stop after
    /// FoldIterations L-BFGS iterations.
    /// </para>
    /// </summary>
    public static class TaskTrainer
    {
        /// <summary>Softmax temperatures tried on the ridge scores (ridge scores live on the -1..+1 target scale).</summary>
        static readonly float[] Temperatures = { 1f, 1.5f, 2f, 3f, 4f, 6f, 8f };

        /// <summary>Trains both heads and calibrates the threshold for options.Ratio.</summary>
        /// <param name="name">Task name (see ClassifierTask.CheckName).</param>
        /// <param name="classNames">One name per class (part.ClassCount).</param>
        /// <param name="part">Part features of the samples.</param>
        /// <param name="full">Full features of the same samples, in the same order and with the same labels.</param>
        /// <param name="options">Head options, target ratio and calibration settings.</param>
        public static ClassifierTask Train(string name, string[] classNames, SampleStore part, SampleStore full, TaskTrainingOptions options)
        {
            Calibration calibration;
            return Train(name, classNames, part, full, options, false, out calibration);
        }

        /// <summary>As Train, also returning the calibration (for Report). With two ridge heads this
        /// also computes the full head's leave-one-out predictions (one more triangular solve per
        /// sample); the task is the same as Train's.</summary>
        public static ClassifierTask Train(string name, string[] classNames, SampleStore part, SampleStore full, TaskTrainingOptions options, out Calibration calibration)
        {
            return Train(name, classNames, part, full, options, true, out calibration);
        }

        static ClassifierTask Train(string name, string[] classNames, SampleStore part, SampleStore full, TaskTrainingOptions options,
            bool fullCalibration, out Calibration calibration)
        {
            ClassifierTask.CheckName(name);
            if (options == null) throw new ArgumentNullException("options");
            if (!(options.Ratio >= 0f && options.Ratio <= 1f)) throw new ArgumentOutOfRangeException("Ratio", "must be in [0, 1]");
            SampleStore.CheckPaired(part, full);
            if (classNames != null && classNames.Length != part.ClassCount)
                throw new ArgumentException("classNames must have one name per class (" + part.ClassCount + "), has " + classNames.Length);
            if (options.Part == null) throw new ArgumentNullException("Part");
            if (options.Full == null) throw new ArgumentNullException("Full");
            options.Part.Validate();
            options.Full.Validate();
            if (options.Part.Kind == HeadKind.Ridge && options.Full.Kind == HeadKind.Ridge)
                return TrainRidge(name, classNames, part, full, options, fullCalibration, out calibration);

            // Heads on all samples first: their logistic solutions warm-start the fold fits.
            float[] partStart = null, fullStart = null;
            LinearHead partHead = FitAll(part, options.Part, out partStart);
            LinearHead fullHead = FitAll(full, options.Full, out fullStart);
            if (options.FoldIterations < 1) throw new ArgumentOutOfRangeException("FoldIterations", "must be at least 1, was " + options.FoldIterations);
            calibration = Calibration.Run(part, full, FoldOptions(options.Part, options.FoldIterations),
                FoldOptions(options.Full, options.FoldIterations), options.Folds, partStart, fullStart);
            return new ClassifierTask(name, classNames, partHead, fullHead, calibration.ThresholdForRatio(options.Ratio));
        }

        static HeadOptions FoldOptions(HeadOptions head, int iterations)
        {
            if (head.Kind != HeadKind.Logistic || head.MaxIterations <= iterations) return head;
            var o = new HeadOptions();
            o.Kind = head.Kind;
            o.C = head.C;
            o.Tolerance = head.Tolerance;
            o.History = head.History;
            o.MaxIterations = iterations;
            o.QuantizeWeights = head.QuantizeWeights;
            return o;
        }

        static LinearHead FitAll(SampleStore samples, HeadOptions options, out float[] solution)
        {
            solution = null;
            if (options.Kind != HeadKind.Logistic) return HeadTrainer.Fit(samples, options);
            if (samples.Count < 1) throw new InvalidOperationException("cannot fit a head without samples");
            return LogisticRegression.Fit(samples, HeadTrainer.AllRows(samples.Count), samples.Count, options, null, true, out solution);
        }

        /// <summary>The head with the larger system first (its factor is the largest buffer and is
        /// freed before the other head's is made): the full head when it is solved in the primal
        /// form (its d x d factor), else the part head, which is then finished (leave-one-out scores,
        /// temperature, confidences, its head) before the full head's system exists.</summary>
        static ClassifierTask TrainRidge(string name, string[] classNames, SampleStore part, SampleStore full, TaskTrainingOptions options,
            bool fullCalibration, out Calibration calibration)
        {
            int n = part.Count, classes = part.ClassCount;
            if (n < 2) throw new InvalidOperationException("calibration needs at least 2 samples, the store has " + n);
            bool[] fullCorrect = fullCalibration ? new bool[n] : null;
            bool fullFirst = RidgeFit.Order(n, full.FeatureLength, options.Full.Solver) > RidgeFit.Order(n, part.FeatureLength, options.Part.Solver);
            RidgeFit fullFit = fullFirst ? FitFull(full, options.Full, fullCorrect) : null;

            var partFit = new RidgeFit(part, null, n, options.Part.Solver);
            partFit.Select(options.Part.AutoLambda ? -1f : options.Part.Lambda);
            partFit.Weights();
            float[] scores = new float[n * classes];
            bool[] partCorrect = new bool[n];
            partFit.NewSampleScores(scores, partCorrect);
            partFit.Release();

            float temperature = FitTemperature(scores, part.Labels, n, classes);
            float[] confidence = new float[n];
            float[] row = new float[classes];
            for (int i = 0; i < n; i++)
            {
                for (int c = 0, at = i * classes; c < classes; c++, at++) row[c] = scores[at] * temperature;
                confidence[i] = LinearHead.Confidence(row, classes);
            }
            scores = null;
            LinearHead partHead = partFit.ToHead(temperature, options.Part.QuantizeWeights);
            partFit = null;
            if (!fullFirst) fullFit = FitFull(full, options.Full, fullCorrect);
            LinearHead fullHead = fullFit.ToHead(temperature, options.Full.QuantizeWeights);
            calibration = Calibration.FromLeaveOneOut(confidence, partCorrect, fullCorrect);
            return new ClassifierTask(name, classNames, partHead, fullHead, calibration.ThresholdForRatio(options.Ratio));
        }

        /// <summary>The full head's fit up to its weights (and, when correct is not null, its
        /// leave-one-out correctness), factor released.</summary>
        static RidgeFit FitFull(SampleStore full, HeadOptions options, bool[] correct)
        {
            var fit = new RidgeFit(full, null, full.Count, options.Solver);
            fit.Select(options.AutoLambda ? -1f : options.Lambda);
            fit.Weights();
            if (correct != null) fit.LeaveOneOut(null, correct);
            fit.Release();
            return fit;
        }

        /// <summary>The grid temperature T with the least cross-entropy of softmax(T x scores) against
        /// the labels, searched downhill from Temperatures[4] and [5] (typically 3 or 4 of the 7).</summary>
        static float FitTemperature(float[] scores, byte[] labels, int n, int classes)
        {
            int m = Temperatures.Length;
            float[] loss = new float[m];
            loss[4] = CrossEntropy(scores, labels, n, classes, Temperatures[4]);
            loss[5] = CrossEntropy(scores, labels, n, classes, Temperatures[5]);
            int best = loss[4] <= loss[5] ? 4 : 5;
            int step = best == 4 ? -1 : 1;
            for (int k = best + step; k >= 0 && k < m; k += step)
            {
                loss[k] = CrossEntropy(scores, labels, n, classes, Temperatures[k]);
                if (!(loss[k] < loss[best])) break;
                best = k;
            }
            return Temperatures[best];
        }

        static float CrossEntropy(float[] scores, byte[] labels, int n, int classes, float t)
        {
            float loss = 0f;
            for (int i = 0, at = 0; i < n; i++, at += classes)
            {
                float max = scores[at];
                for (int c = 1; c < classes; c++) if (scores[at + c] > max) max = scores[at + c];
                float sum = 0f;
                for (int c = 0; c < classes; c++)
                {
                    float e = t * (scores[at + c] - max);
                    if (e > -87.33f) sum += FloatMath.Exp(e);
                }
                loss += FloatMath.Log(sum) - t * (scores[at + labels[i]] - max);
            }
            return loss;
        }
    }
}

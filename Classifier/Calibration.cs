using System;

namespace MicroT.Runtime.Classifier
{
    /// <summary>
    /// Out-of-fold evaluation of a task's two heads on its local samples, and what follows from
    /// it: the threshold for a ratio r and the expected accuracy and cost at a list of ratios.
    /// Confidence on a sample the head was trained on is optimistic, so each sample is scored by
    /// heads trained without it (stratified k-fold: samples sorted by class are dealt to the folds
    /// in turn).
    /// </summary>
    public sealed class Calibration
    {
        /// <summary>Threshold that sends every sample to the full model (confidences are at most 1).</summary>
        public const float NeverPart = 2f;

        readonly float[] _sorted;       // part confidences, descending

        Calibration(float[] confidences, bool[] partCorrect, bool[] fullCorrect)
        {
            PartConfidences = confidences;
            PartCorrect = partCorrect;
            FullCorrect = fullCorrect;
            _sorted = new float[confidences.Length];
            Array.Copy(confidences, _sorted, confidences.Length);
            SortDescending(_sorted);
        }

        /// <summary>Samples evaluated.</summary>
        public int Count { get { return PartConfidences.Length; } }
        /// <summary>Out-of-fold part-head confidence (largest softmax probability) of each sample.</summary>
        public float[] PartConfidences { get; private set; }
        /// <summary>Whether the out-of-fold part head predicted each sample right.</summary>
        public bool[] PartCorrect { get; private set; }
        /// <summary>Whether the out-of-fold full head predicted each sample right.</summary>
        public bool[] FullCorrect { get; private set; }

        /// <summary>A calibration from per-sample results computed elsewhere (all arrays the same length, at least 1).</summary>
        public static Calibration FromScores(float[] partConfidences, bool[] partCorrect, bool[] fullCorrect)
        {
            if (partConfidences == null) throw new ArgumentNullException("partConfidences");
            if (partCorrect == null) throw new ArgumentNullException("partCorrect");
            if (fullCorrect == null) throw new ArgumentNullException("fullCorrect");
            int n = partConfidences.Length;
            if (n < 1) throw new ArgumentException("at least one sample is needed");
            if (partCorrect.Length != n || fullCorrect.Length != n) throw new ArgumentException("all arrays must have " + n + " elements");
            for (int i = 0; i < n; i++)
                if (!(partConfidences[i] >= 0f && partConfidences[i] <= 1f))
                    throw new ArgumentException("partConfidences[" + i + "] is " + partConfidences[i].ToString() + ", not in [0, 1]");
            return new Calibration(partConfidences, partCorrect, fullCorrect);
        }

        /// <summary>From closed-form leave-one-out results (TaskTrainer's ridge path); fullCorrect may be
        /// null when only the threshold is needed.</summary>
        internal static Calibration FromLeaveOneOut(float[] partConfidences, bool[] partCorrect, bool[] fullCorrect)
        {
            return new Calibration(partConfidences, partCorrect, fullCorrect);
        }

        /// <summary>Runs the out-of-fold evaluation. folds is capped at the sample count; at least 2
        /// samples are needed.</summary>
        public static Calibration Run(SampleStore part, SampleStore full, HeadOptions partOptions, HeadOptions fullOptions, int folds)
        {
            return Run(part, full, partOptions, fullOptions, folds, null, null);
        }

        /// <summary>As Run; partStart and fullStart (or null) warm-start logistic fold fits (LogisticRegression.Fit's layout).</summary>
        internal static Calibration Run(SampleStore part, SampleStore full, HeadOptions partOptions, HeadOptions fullOptions, int folds,
            float[] partStart, float[] fullStart)
        {
            SampleStore.CheckPaired(part, full);
            if (partOptions == null) throw new ArgumentNullException("partOptions");
            if (fullOptions == null) throw new ArgumentNullException("fullOptions");
            partOptions.Validate();
            fullOptions.Validate();
            if (folds < 2) throw new ArgumentOutOfRangeException("folds", "must be at least 2, was " + folds);
            int n = part.Count;
            if (n < 2) throw new InvalidOperationException("calibration needs at least 2 samples, the store has " + n);
            if (folds > n) folds = n;

            int[] fold = AssignFolds(part.Labels, n, part.ClassCount, folds);
            int[] train = new int[n];
            float[] confidence = new float[n];
            bool[] partCorrect = new bool[n], fullCorrect = new bool[n];
            float[] scores = new float[part.ClassCount];
            byte[] labels = part.Labels;
            // One fold head at a time: each is scored on its held-out samples and dropped before the
            // next fit (the full fold fit, the peak of a logistic calibration, runs beside no other fold head).
            for (int f = 0; f < folds; f++)
            {
                int count = 0;
                for (int i = 0; i < n; i++) if (fold[i] != f) train[count++] = i;
                LinearHead head = FitFold(part, train, count, partOptions, partStart);
                for (int i = 0; i < n; i++)
                {
                    if (fold[i] != f) continue;
                    head.Score(part.Features, i * part.FeatureLength, scores);
                    confidence[i] = LinearHead.Confidence(scores, part.ClassCount);
                    partCorrect[i] = LinearHead.ArgMax(scores, part.ClassCount) == labels[i];
                }
                head = null;
                head = FitFold(full, train, count, fullOptions, fullStart);
                for (int i = 0; i < n; i++)
                {
                    if (fold[i] != f) continue;
                    head.Score(full.Features, i * full.FeatureLength, scores);
                    fullCorrect[i] = LinearHead.ArgMax(scores, full.ClassCount) == labels[i];
                }
                head = null;
            }
            return new Calibration(confidence, partCorrect, fullCorrect);
        }

        /// <summary>
        /// The threshold at which a fraction ratio of the samples is answered by the part head: the
        /// (1 - ratio) quantile of the part confidences, placed halfway between the k-th and
        /// (k+1)-th largest confidence, k = round(ratio x Count). Ratio 0 gives NeverPart, 1 gives 0.
        /// </summary>
        public float ThresholdForRatio(float ratio)
        {
            if (!(ratio >= 0f && ratio <= 1f)) throw new ArgumentOutOfRangeException("ratio", "must be in [0, 1]");
            int n = _sorted.Length;
            int k = (int)(ratio * n + 0.5f);
            if (k <= 0) return NeverPart;
            if (k >= n) return 0f;
            float above = _sorted[k - 1], below = _sorted[k];
            return above == below ? above : below + 0.5f * (above - below);
        }

        /// <summary>Fraction of the samples whose part confidence is at or above threshold.</summary>
        public float RatioAt(float threshold)
        {
            CheckThreshold(threshold);
            int part = 0;
            for (int i = 0; i < PartConfidences.Length; i++) if (PartConfidences[i] >= threshold) part++;
            return (float)part / PartConfidences.Length;
        }

        /// <summary>Accuracy of the two-stage rule at threshold: the part head's answer where its
        /// confidence is at or above threshold, else the full head's.</summary>
        public float AccuracyAt(float threshold)
        {
            CheckThreshold(threshold);
            int correct = 0;
            for (int i = 0; i < PartConfidences.Length; i++)
                if (PartConfidences[i] >= threshold ? PartCorrect[i] : FullCorrect[i]) correct++;
            return (float)correct / PartConfidences.Length;
        }

        /// <summary>Expected accuracy and cost for each ratio. partCost is what a sample answered
        /// by the part stage costs (e.g. MACs of the part model and part head), fullCost what a
        /// sample sent on to the full model costs in all.</summary>
        public CalibrationReport Report(float[] ratios, long partCost, long fullCost)
        {
            if (ratios == null) throw new ArgumentNullException("ratios");
            if (partCost < 0 || fullCost <= 0) throw new ArgumentOutOfRangeException("fullCost", "costs must be positive");
            int m = ratios.Length;
            var thresholds = new float[m];
            var actual = new float[m];
            var accuracy = new float[m];
            var cost = new float[m];
            var saving = new float[m];
            for (int i = 0; i < m; i++)
            {
                thresholds[i] = ThresholdForRatio(ratios[i]);
                actual[i] = RatioAt(thresholds[i]);
                accuracy[i] = AccuracyAt(thresholds[i]);
                cost[i] = actual[i] * partCost + (1f - actual[i]) * fullCost;
                saving[i] = 1f - cost[i] / fullCost;
            }
            return new CalibrationReport(ratios, thresholds, actual, accuracy, cost, saving,
                AccuracyAt(0f), AccuracyAt(NeverPart), partCost, fullCost);
        }

        static LinearHead FitFold(SampleStore samples, int[] rows, int count, HeadOptions options, float[] start)
        {
            if (options.Kind == HeadKind.Logistic && start != null)
            {
                if (count < 1) throw new InvalidOperationException("cannot fit a head without samples");
                float[] solution;
                return LogisticRegression.Fit(samples, rows, count, options, start, false, out solution);
            }
            return HeadTrainer.Fit(samples, rows, count, options);
        }

        static void CheckThreshold(float threshold)
        {
            if (float.IsNaN(threshold)) throw new ArgumentOutOfRangeException("threshold", "is NaN");
        }

        static int[] AssignFolds(byte[] labels, int n, int classes, int folds)
        {
            int[] fold = new int[n];
            int next = 0;
            for (int c = 0; c < classes; c++)
                for (int i = 0; i < n; i++)
                    if (labels[i] == c) { fold[i] = next; next = next + 1 == folds ? 0 : next + 1; }
            return fold;
        }

        /// <summary>Heap sort, largest first (mscorlib 1.17 has no Array.Sort).</summary>
        internal static void SortDescending(float[] a)
        {
            int n = a.Length;
            for (int i = n / 2 - 1; i >= 0; i--) SiftDown(a, i, n);
            for (int end = n - 1; end > 0; end--)
            {
                float t = a[0]; a[0] = a[end]; a[end] = t;
                SiftDown(a, 0, end);
            }
        }

        // Min-heap sift, so the heap sort leaves the array in descending order.
        static void SiftDown(float[] a, int i, int n)
        {
            while (true)
            {
                int child = 2 * i + 1;
                if (child >= n) return;
                if (child + 1 < n && a[child + 1] < a[child]) child++;
                if (!(a[child] < a[i])) return;
                float t = a[i]; a[i] = a[child]; a[child] = t;
                i = child;
            }
        }
    }

    /// <summary>Expected accuracy and cost of the two-stage rule on the local samples at each
    /// requested ratio (all measured out of fold).</summary>
    public sealed class CalibrationReport
    {
        internal CalibrationReport(float[] ratios, float[] thresholds, float[] actual, float[] accuracy, float[] cost,
            float[] saving, float partOnly, float fullOnly, long partCost, long fullCost)
        {
            Ratios = ratios; Thresholds = thresholds; ActualRatios = actual; Accuracies = accuracy;
            ExpectedCosts = cost; Savings = saving; PartOnlyAccuracy = partOnly; FullOnlyAccuracy = fullOnly;
            PartCost = partCost; FullCost = fullCost;
        }

        /// <summary>The ratios asked for.</summary>
        public float[] Ratios { get; private set; }
        /// <summary>Threshold for each ratio.</summary>
        public float[] Thresholds { get; private set; }
        /// <summary>Fraction of the local samples the part head answers at that threshold (ties can move it off the ratio).</summary>
        public float[] ActualRatios { get; private set; }
        /// <summary>Accuracy of the two-stage rule at that threshold.</summary>
        public float[] Accuracies { get; private set; }
        /// <summary>Expected cost per sample: r x PartCost + (1 - r) x FullCost.</summary>
        public float[] ExpectedCosts { get; private set; }
        /// <summary>1 - ExpectedCost / FullCost: the saving against always running the full model.</summary>
        public float[] Savings { get; private set; }
        /// <summary>Accuracy when the part head answers everything.</summary>
        public float PartOnlyAccuracy { get; private set; }
        /// <summary>Accuracy when the full head answers everything.</summary>
        public float FullOnlyAccuracy { get; private set; }
        /// <summary>Cost of a sample the part stage answers, as passed to Calibration.Report (e.g. MACs).</summary>
        public long PartCost { get; private set; }
        /// <summary>Cost of a sample sent on to the full model, in all, as passed to Calibration.Report.</summary>
        public long FullCost { get; private set; }
    }
}

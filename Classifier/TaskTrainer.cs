using System;

namespace MicroT.Runtime.Classifier
{
    /// <summary>Options for training a whole task.</summary>
    public sealed class TaskTrainingOptions
    {
        public TaskTrainingOptions()
        {
            Part = new HeadOptions();
            Full = new HeadOptions();
            Ratio = 0.5f;
            Folds = 5;
        }

        /// <summary>How to train the part head (default: logistic, C = 1).</summary>
        public HeadOptions Part { get; set; }
        /// <summary>How to train the full head (default: logistic, C = 1).</summary>
        public HeadOptions Full { get; set; }
        /// <summary>Fraction of samples the part head should answer (MicroT's standard: 0.5).</summary>
        public float Ratio { get; set; }
        /// <summary>Folds of the out-of-fold calibration (at least 2).</summary>
        public int Folds { get; set; }
    }

    /// <summary>Trains a task from its local samples: both heads on all samples, the threshold
    /// calibrated out of fold for the ratio.</summary>
    public static class TaskTrainer
    {
        public static ClassifierTask Train(string name, string[] classNames, SampleStore part, SampleStore full, TaskTrainingOptions options)
        {
            Calibration calibration;
            return Train(name, classNames, part, full, options, out calibration);
        }

        /// <summary>As Train, also returning the calibration (for Report).</summary>
        public static ClassifierTask Train(string name, string[] classNames, SampleStore part, SampleStore full, TaskTrainingOptions options, out Calibration calibration)
        {
            ClassifierTask.CheckName(name);
            if (options == null) throw new ArgumentNullException("options");
            if (!(options.Ratio >= 0f && options.Ratio <= 1f)) throw new ArgumentOutOfRangeException("Ratio", "must be in [0, 1]");
            SampleStore.CheckPaired(part, full);
            if (classNames != null && classNames.Length != part.ClassCount)
                throw new ArgumentException("classNames must have one name per class (" + part.ClassCount + "), has " + classNames.Length);
            calibration = Calibration.Run(part, full, options.Part, options.Full, options.Folds);
            LinearHead partHead = HeadTrainer.Fit(part, options.Part);
            LinearHead fullHead = HeadTrainer.Fit(full, options.Full);
            return new ClassifierTask(name, classNames, partHead, fullHead, calibration.ThresholdForRatio(options.Ratio));
        }
    }
}

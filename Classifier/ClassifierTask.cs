using System;

namespace MicroT.Runtime.Classifier
{
    /// <summary>
    /// One classification task on the shared extractor: a head on part features, a head on full
    /// features, the confidence threshold between them and the class names. A task holds no
    /// extractor memory: a trained task's weights are ClassCount x (PartFeatureLength +
    /// FullFeatureLength) int8 values plus 4 floats per class (scales and biases of both heads).
    /// </summary>
    public sealed class ClassifierTask
    {
        /// <summary>Longest task name (names are also storage file names).</summary>
        public const int MaxNameLength = 32;

        float _threshold;

        /// <param name="name">1..32 characters from A-Z, a-z, 0-9, '_' and '-' (it names storage files).</param>
        /// <param name="classNames">One name per class, none null.</param>
        /// <param name="partHead">Head on part features.</param>
        /// <param name="fullHead">Head on full features, with the same class count.</param>
        /// <param name="threshold">The part head answers when its confidence is at or above this
        /// (0 = always; above 1 = never).</param>
        public ClassifierTask(string name, string[] classNames, LinearHead partHead, LinearHead fullHead, float threshold)
        {
            CheckName(name);
            if (classNames == null) throw new ArgumentNullException("classNames");
            if (partHead == null) throw new ArgumentNullException("partHead");
            if (fullHead == null) throw new ArgumentNullException("fullHead");
            if (partHead.ClassCount != fullHead.ClassCount)
                throw new ArgumentException("part and full heads must have the same class count, have " + partHead.ClassCount + " and " + fullHead.ClassCount);
            if (classNames.Length != partHead.ClassCount)
                throw new ArgumentException("classNames must have one name per class (" + partHead.ClassCount + "), has " + classNames.Length);
            for (int i = 0; i < classNames.Length; i++)
                if (classNames[i] == null) throw new ArgumentException("class name " + i + " is null");
            Name = name;
            ClassNames = classNames;
            PartHead = partHead;
            FullHead = fullHead;
            Threshold = threshold;
        }

        /// <summary>Task name: 1..MaxNameLength characters from A-Z, a-z, 0-9, '_' and '-'; also names its storage files.</summary>
        public string Name { get; private set; }
        /// <summary>One name per class, indexed by class label.</summary>
        public string[] ClassNames { get; private set; }
        /// <summary>Number of classes (shared by both heads).</summary>
        public int ClassCount { get { return PartHead.ClassCount; } }
        /// <summary>Head on the part model's features; answers when its confidence reaches Threshold.</summary>
        public LinearHead PartHead { get; private set; }
        /// <summary>Head on the full model's features; answers the frames the part head passes on.</summary>
        public LinearHead FullHead { get; private set; }

        /// <summary>The part head answers when its confidence is at or above this. Not NaN, not negative.</summary>
        public float Threshold
        {
            get { return _threshold; }
            set
            {
                if (!(value >= 0f)) throw new ArgumentOutOfRangeException("Threshold", "must be 0 or more (and not NaN)");
                _threshold = value;
            }
        }

        /// <summary>Replaces both heads (e.g. after refitting from the stored samples).</summary>
        public void SetHeads(LinearHead partHead, LinearHead fullHead)
        {
            if (partHead == null) throw new ArgumentNullException("partHead");
            if (fullHead == null) throw new ArgumentNullException("fullHead");
            if (partHead.ClassCount != ClassCount || fullHead.ClassCount != ClassCount)
                throw new ArgumentException("both heads must have " + ClassCount + " classes");
            PartHead = partHead;
            FullHead = fullHead;
        }

        /// <summary>Throws ArgumentException unless name is a valid task name.</summary>
        public static void CheckName(string name)
        {
            if (name == null) throw new ArgumentNullException("name");
            if (name.Length == 0 || name.Length > MaxNameLength)
                throw new ArgumentException("task name must have 1.." + MaxNameLength + " characters, has " + name.Length);
            for (int i = 0; i < name.Length; i++)
            {
                char c = name[i];
                bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
                if (!ok) throw new ArgumentException("task name '" + name + "' has '" + c + "' at " + i + "; use A-Z, a-z, 0-9, '_' or '-'");
            }
        }
    }
}

using System;

namespace MicroT.Runtime.Classifier
{
    /// <summary>
    /// Labelled feature vectors kept as the extractor emits them: int8 with one scale and zero
    /// point (real value = Scale * (q - ZeroPoint)). One byte per feature and one per label, so a
    /// task can refit its heads and recalibrate its threshold without re-running the extractor.
    /// Capacity is fixed at construction so memory use is known up front.
    /// <para>
    /// A store that can hold more samples than features (capacity &gt; FeatureLength) keeps, by
    /// default, the exact integer Gram matrix of its samples (lower triangle of sum u u^T,
    /// u = q - ZeroPoint: FeatureLength (FeatureLength + 1) / 2 ints), updated by each Add
    /// (FeatureLength (FeatureLength + 1) / 2 multiply-adds). Ridge training in its primal form
    /// (more samples than features) then starts from it instead of rebuilding it from every
    /// sample: adding a sample and retraining costs one update, not a pass over the store. A store
    /// of at most FeatureLength samples never needs it (ridge trains in the dual form there, from
    /// the samples) and keeps none; keepGram: false drops it for any store (the primal form then
    /// builds its matrix from the samples each time).
    /// </para>
    /// </summary>
    public sealed class SampleStore
    {
        /// <summary>Labels are stored in one byte each.</summary>
        public const int MaxClasses = 255;

        /// <summary>Most samples of a store that keeps its Gram matrix (255^2 x MaxGramSamples fits an int).</summary>
        public const int MaxGramSamples = 33000;

        readonly sbyte[] _features;
        readonly byte[] _labels;
        readonly int[] _gram;           // lower triangle, row-major: (i, j <= i) at i(i+1)/2 + j; null when not kept
        int _count;

        /// <param name="featureLength">Features per sample (the model's part or full feature length).</param>
        /// <param name="scale">Quantization scale of the features (positive, finite).</param>
        /// <param name="zeroPoint">Quantization zero point of the features (-128..127).</param>
        /// <param name="classCount">Number of classes (2..255; 1 is allowed but gives a trivial head).</param>
        /// <param name="capacity">Most samples the store can hold. The store keeps its Gram matrix
        /// when capacity &gt; featureLength (see the class remarks).</param>
        public SampleStore(int featureLength, float scale, int zeroPoint, int classCount, int capacity)
            : this(featureLength, scale, zeroPoint, classCount, capacity, capacity > featureLength)
        {
        }

        /// <param name="featureLength">Features per sample (the model's part or full feature length).</param>
        /// <param name="scale">Quantization scale of the features (positive, finite).</param>
        /// <param name="zeroPoint">Quantization zero point of the features (-128..127).</param>
        /// <param name="classCount">Number of classes (2..255; 1 is allowed but gives a trivial head).</param>
        /// <param name="capacity">Most samples the store can hold (at most MaxGramSamples when keepGram).</param>
        /// <param name="keepGram">Keep the Gram matrix up to date on each Add (4 FeatureLength (FeatureLength + 1) / 2
        /// bytes) so primal ridge training does not rebuild it; only the primal form (more samples
        /// than features) uses it.</param>
        public SampleStore(int featureLength, float scale, int zeroPoint, int classCount, int capacity, bool keepGram)
        {
            if (featureLength <= 0) throw new ArgumentOutOfRangeException("featureLength", "must be positive, was " + featureLength);
            if (!(scale > 0f) || !FloatMath.IsFinite(scale)) throw new ArgumentOutOfRangeException("scale", "must be positive and finite");
            if (zeroPoint < -128 || zeroPoint > 127) throw new ArgumentOutOfRangeException("zeroPoint", "must be in -128..127, was " + zeroPoint);
            if (classCount < 1 || classCount > MaxClasses) throw new ArgumentOutOfRangeException("classCount", "must be in 1.." + MaxClasses + ", was " + classCount);
            if (capacity <= 0) throw new ArgumentOutOfRangeException("capacity", "must be positive, was " + capacity);
            if ((long)capacity * featureLength > 0x7FFFFFC7) throw new ArgumentOutOfRangeException("capacity", "capacity x featureLength exceeds the largest array");
            if (keepGram && capacity > MaxGramSamples)
                throw new ArgumentOutOfRangeException("capacity", "at most " + MaxGramSamples + " samples when the store keeps its Gram matrix (keepGram: false lifts it), was " + capacity);
            if (keepGram && featureLength > 8192)
                throw new ArgumentOutOfRangeException("featureLength", "at most 8192 when the store keeps its Gram matrix (d(d+1)/2 ints; keepGram: false lifts it), was " + featureLength);
            FeatureLength = featureLength;
            Scale = scale;
            ZeroPoint = zeroPoint;
            ClassCount = classCount;
            _features = new sbyte[capacity * featureLength];
            _labels = new byte[capacity];
            if (keepGram) _gram = new int[featureLength * (featureLength + 1) / 2];
        }

        /// <summary>Features per sample.</summary>
        public int FeatureLength { get; private set; }
        /// <summary>Quantization scale of the features: real value = Scale * (q - ZeroPoint).</summary>
        public float Scale { get; private set; }
        /// <summary>Quantization zero point of the features, -128..127.</summary>
        public int ZeroPoint { get; private set; }
        /// <summary>Number of classes; labels are 0..ClassCount - 1.</summary>
        public int ClassCount { get; private set; }
        /// <summary>Most samples the store can hold (fixed at construction).</summary>
        public int Capacity { get { return _labels.Length; } }
        /// <summary>Samples added so far.</summary>
        public int Count { get { return _count; } }

        /// <summary>The stored features, row-major: sample i occupies [i * FeatureLength, (i + 1) * FeatureLength).
        /// Only the first Count rows are meaningful. Read it; do not write it.</summary>
        public sbyte[] Features { get { return _features; } }

        /// <summary>Adds one sample: FeatureLength features read from source at offset.</summary>
        public void Add(sbyte[] source, int offset, int label)
        {
            if (source == null) throw new ArgumentNullException("source");
            if (offset < 0 || offset > source.Length - FeatureLength)
                throw new ArgumentException("source must hold " + FeatureLength + " features from offset " + offset + " but has length " + source.Length);
            if (label < 0 || label >= ClassCount) throw new ArgumentOutOfRangeException("label", "must be in 0.." + (ClassCount - 1) + ", was " + label);
            if (_count == _labels.Length) throw new InvalidOperationException("the store is full (capacity " + _labels.Length + ")");
            Array.Copy(source, offset, _features, _count * FeatureLength, FeatureLength);
            _labels[_count] = (byte)label;
            if (_gram != null) AddToGram(_features, _count * FeatureLength);
            _count++;
        }

        void AddToGram(sbyte[] f, int offset)
        {
            int[] gram = _gram;
            int zp = ZeroPoint, at = 0;
            for (int i = 0, end = offset + FeatureLength; offset + i < end; i++)
            {
                int ui = f[offset + i] - zp;
                if (ui == 0) { at += i + 1; continue; }
                for (int j = offset, last = offset + i; j <= last; j++) gram[at++] += ui * (f[j] - zp);
            }
        }

        /// <summary>True when the store keeps its Gram matrix (see the class remarks).</summary>
        public bool KeepsGram { get { return _gram != null; } }

        /// <summary>Lower triangle of sum u u^T over the samples, u = q - ZeroPoint; null when not kept.</summary>
        internal int[] Gram { get { return _gram; } }

        /// <summary>Label of sample i.</summary>
        public int GetLabel(int index)
        {
            if (index < 0 || index >= _count) throw new ArgumentOutOfRangeException("index", "must be in 0.." + (_count - 1) + ", was " + index);
            return _labels[index];
        }

        /// <summary>How many samples each class has.</summary>
        public int[] CountPerClass()
        {
            int[] counts = new int[ClassCount];
            for (int i = 0; i < _count; i++) counts[_labels[i]]++;
            return counts;
        }

        /// <summary>Forgets every sample (capacity is kept).</summary>
        public void Clear()
        {
            _count = 0;
            if (_gram != null) Array.Clear(_gram, 0, _gram.Length);
        }

        internal byte[] Labels { get { return _labels; } }

        /// <summary>Throws unless both stores describe the same samples (count and labels), as
        /// the part and full stores of one task must.</summary>
        internal static void CheckPaired(SampleStore part, SampleStore full)
        {
            if (part == null) throw new ArgumentNullException("part");
            if (full == null) throw new ArgumentNullException("full");
            if (part.Count != full.Count)
                throw new ArgumentException("part and full stores must hold the same samples, but hold " + part.Count + " and " + full.Count);
            if (part.ClassCount != full.ClassCount)
                throw new ArgumentException("part and full stores must have the same class count, but have " + part.ClassCount + " and " + full.ClassCount);
            for (int i = 0; i < part.Count; i++)
                if (part._labels[i] != full._labels[i])
                    throw new ArgumentException("part and full stores disagree on the label of sample " + i);
        }
    }
}

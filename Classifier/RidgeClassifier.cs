using System;

namespace MicroT.Runtime.Classifier
{
    /// <summary>
    /// Streaming ridge-regression classifier with one-vs-rest targets (-1 / +1), as scikit-learn's
    /// RidgeClassifier on standardized features. Each Add updates integer sums: the d x d Gram
    /// matrix of u = q - zeroPoint (lower triangle, exact), per-class feature sums and the
    /// standardizer's sums. Fit centers and standardizes these algebraically and does one
    /// Cholesky solve in float32. Memory: d(d+1)/2 ints + classes x d ints, plus d(d+1)/2 floats
    /// during Fit. At most MaxSamples samples (the int sums cannot overflow below that).
    /// </summary>
    public sealed class RidgeClassifier
    {
        /// <summary>255^2 x MaxSamples fits in an int.</summary>
        public const int MaxSamples = 33000;

        readonly int _d, _classes, _zeroPoint;
        readonly float _scale;
        readonly int[] _gram;           // lower triangle, row-major: (i, j <= i) at i(i+1)/2 + j
        readonly int[] _classSums;      // classes x d sums of u
        readonly int[] _classCounts;
        readonly FeatureStandardizer _standardizer;

        public RidgeClassifier(int featureLength, float scale, int zeroPoint, int classCount)
        {
            if (featureLength <= 0) throw new ArgumentOutOfRangeException("featureLength", "must be positive, was " + featureLength);
            if (featureLength > 8192) throw new ArgumentOutOfRangeException("featureLength", "at most 8192 (the Gram matrix has d(d+1)/2 entries), was " + featureLength);
            if (!(scale > 0f) || !FloatMath.IsFinite(scale)) throw new ArgumentOutOfRangeException("scale", "must be positive and finite");
            if (zeroPoint < -128 || zeroPoint > 127) throw new ArgumentOutOfRangeException("zeroPoint", "must be in -128..127, was " + zeroPoint);
            if (classCount < 1 || classCount > SampleStore.MaxClasses) throw new ArgumentOutOfRangeException("classCount", "must be in 1.." + SampleStore.MaxClasses + ", was " + classCount);
            _d = featureLength; _scale = scale; _zeroPoint = zeroPoint; _classes = classCount;
            _gram = new int[featureLength * (featureLength + 1) / 2];
            _classSums = new int[classCount * featureLength];
            _classCounts = new int[classCount];
            _standardizer = new FeatureStandardizer(featureLength, zeroPoint);
        }

        public int Count { get { return _standardizer.Count; } }

        /// <summary>Adds one sample: FeatureLength int8 features from source at offset.</summary>
        public void Add(sbyte[] source, int offset, int label)
        {
            if (source == null) throw new ArgumentNullException("source");
            if (offset < 0 || offset > source.Length - _d)
                throw new ArgumentException("source must hold " + _d + " features from offset " + offset + " but has length " + source.Length);
            if (label < 0 || label >= _classes) throw new ArgumentOutOfRangeException("label", "must be in 0.." + (_classes - 1) + ", was " + label);
            if (Count >= MaxSamples) throw new InvalidOperationException("at most " + MaxSamples + " samples");
            AddUnchecked(source, offset, label);
        }

        void AddUnchecked(sbyte[] source, int offset, int label)
        {
            int d = _d, zp = _zeroPoint;
            int[] gram = _gram, classSums = _classSums;
            int at = 0;
            for (int i = 0; i < d; i++)
            {
                int ui = source[offset + i] - zp;
                classSums[label * d + i] += ui;
                if (ui == 0) { at += i + 1; continue; }    // ReLU features are often at the zero point
                for (int j = offset, end = offset + i; j <= end; j++) gram[at++] += ui * (source[j] - zp);
            }
            _classCounts[label]++;
            _standardizer.Add(source, offset);
        }

        /// <summary>Solves for the head with L2 strength lambda (>= 0).</summary>
        public LinearHead Fit(float lambda)
        {
            if (!(lambda >= 0f) || !FloatMath.IsFinite(lambda)) throw new ArgumentOutOfRangeException("lambda", "must be zero or positive and finite");
            if (Count < 1) throw new InvalidOperationException("cannot fit a head without samples");
            int d = _d, classes = _classes;
            long n = Count;
            _standardizer.Finish();
            float[] inv = _standardizer.InvStd;
            long[] sums = _standardizer.Sums;
            float invN = 1f / n;

            // A = D Gc D + lambda I with Gc = G - S S^T / n (centered Gram), D = diag(InvStd).
            float[] a = new float[_gram.Length];
            int at = 0;
            for (int i = 0; i < d; i++)
                for (int j = 0; j <= i; j++, at++)
                {
                    long centered = n * _gram[at] - sums[i] * sums[j];      // n Gc, exact
                    a[at] = centered * invN * inv[i] * inv[j];
                    if (i == j) a[at] += lambda;
                }
            Cholesky(a, d);

            // Right-hand side per class: D Cc with Cc = 2 (Sc - S n_c / n); intercept = mean target.
            bool[] present = new bool[classes];
            float[] w = new float[classes * d];
            float[] b = new float[classes];
            float[] rhs = new float[d];
            for (int c = 0; c < classes; c++)
            {
                int nc = _classCounts[c];
                if (nc == 0) continue;
                present[c] = true;
                for (int j = 0; j < d; j++)
                    rhs[j] = 2f * (n * _classSums[c * d + j] - sums[j] * nc) * invN * inv[j];
                SolveInPlace(a, d, rhs);
                Array.Copy(rhs, 0, w, c * d, d);
                b[c] = (2f * nc - n) * invN;
            }
            return LinearHead.Fold(HeadKind.Ridge, classes, _scale, _zeroPoint, _standardizer, w, b, present);
        }

        /// <summary>Fits on the given rows of a store.</summary>
        internal static LinearHead Fit(SampleStore samples, int[] rows, int rowCount, float lambda)
        {
            var ridge = new RidgeClassifier(samples.FeatureLength, samples.Scale, samples.ZeroPoint, samples.ClassCount);
            if (rowCount > MaxSamples) throw new InvalidOperationException("at most " + MaxSamples + " samples");
            sbyte[] f = samples.Features;
            byte[] labels = samples.Labels;
            int d = samples.FeatureLength;
            for (int i = 0; i < rowCount; i++) ridge.AddUnchecked(f, rows[i] * d, labels[rows[i]]);
            return ridge.Fit(lambda);
        }

        /// <summary>Fits on every sample of a store.</summary>
        public static LinearHead Fit(SampleStore samples, float lambda)
        {
            if (samples == null) throw new ArgumentNullException("samples");
            return Fit(samples, HeadTrainer.AllRows(samples.Count), samples.Count, lambda);
        }

        /// <summary>In-place Cholesky A = L L^T of a packed lower triangle.</summary>
        static void Cholesky(float[] a, int d)
        {
            for (int i = 0; i < d; i++)
            {
                int rowI = i * (i + 1) / 2;
                for (int j = 0; j <= i; j++)
                {
                    int rowJ = j * (j + 1) / 2;
                    float s = a[rowI + j];
                    for (int t = 0; t < j; t++) s -= a[rowI + t] * a[rowJ + t];
                    if (i == j)
                    {
                        if (!(s > 0f))
                            throw new InvalidOperationException("the standardized Gram matrix is singular at feature " + i + " (constant or duplicate features); use a positive Lambda");
                        a[rowI + i] = FloatMath.Sqrt(s);
                    }
                    else a[rowI + j] = s / a[rowJ + j];
                }
            }
        }

        /// <summary>Solves L L^T x = b in place (b becomes x).</summary>
        static void SolveInPlace(float[] l, int d, float[] b)
        {
            for (int i = 0; i < d; i++)
            {
                int row = i * (i + 1) / 2;
                float s = b[i];
                for (int t = 0; t < i; t++) s -= l[row + t] * b[t];
                b[i] = s / l[row + i];
            }
            for (int i = d - 1; i >= 0; i--)
            {
                float s = b[i];
                for (int t = i + 1; t < d; t++) s -= l[t * (t + 1) / 2 + i] * b[t];
                b[i] = s / l[i * (i + 1) / 2 + i];
            }
        }
    }
}

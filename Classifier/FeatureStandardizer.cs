using System;

namespace MicroT.Runtime.Classifier
{
    /// <summary>
    /// Per-feature standardization learned from int8 samples: z = (q - Mean) * InvStd, in the
    /// quantized units q (the scale cancels out). Sums of q - zeroPoint are kept in integers, so
    /// mean and variance are exact before the one final rounding to float. A constant feature
    /// gets InvStd = 0 and is ignored by the heads (scikit-learn's StandardScaler makes it 0 too).
    /// </summary>
    public sealed class FeatureStandardizer
    {
        readonly long[] _sum;
        readonly long[] _sumSquares;
        readonly int _zeroPoint;
        int _count;

        /// <summary>An empty standardizer for featureLength int8 features quantized with zeroPoint.</summary>
        public FeatureStandardizer(int featureLength, int zeroPoint)
        {
            if (featureLength <= 0) throw new ArgumentOutOfRangeException("featureLength", "must be positive, was " + featureLength);
            _zeroPoint = zeroPoint;
            _sum = new long[featureLength];
            _sumSquares = new long[featureLength];
            Mean = new float[featureLength];
            InvStd = new float[featureLength];
        }

        /// <summary>Features per sample.</summary>
        public int FeatureLength { get { return _sum.Length; } }
        /// <summary>Samples added so far.</summary>
        public int Count { get { return _count; } }

        /// <summary>Per-feature sums of (q - zeroPoint) over the samples added.</summary>
        internal long[] Sums { get { return _sum; } }

        /// <summary>Mean of each feature in quantized units (valid after Finish).</summary>
        public float[] Mean { get; private set; }

        /// <summary>1 / standard deviation (population) of each feature in quantized units; 0 for a constant feature.</summary>
        public float[] InvStd { get; private set; }

        /// <summary>Accumulates one sample of FeatureLength features from source at offset.</summary>
        public void Add(sbyte[] source, int offset)
        {
            long[] sum = _sum, sq = _sumSquares;
            int d = sum.Length, zp = _zeroPoint;
            for (int j = 0; j < d; j++)
            {
                int q = source[offset + j] - zp;
                sum[j] += q;
                sq[j] += q * q;
            }
            _count++;
        }

        /// <summary>Computes Mean and InvStd from the samples added so far.</summary>
        public void Finish()
        {
            if (_count == 0) throw new InvalidOperationException("no samples to standardize");
            long n = _count;
            float invN = 1f / n;
            for (int j = 0; j < _sum.Length; j++)
            {
                Mean[j] = _sum[j] * invN + _zeroPoint;
                long scaledVariance = n * _sumSquares[j] - _sum[j] * _sum[j];   // n^2 var, exact
                InvStd[j] = scaledVariance <= 0 ? 0f : n / FloatMath.Sqrt(scaledVariance);
            }
        }

        /// <summary>Learns the standardization from the given rows of a store.</summary>
        public static FeatureStandardizer Fit(SampleStore samples, int[] rows, int rowCount)
        {
            var s = new FeatureStandardizer(samples.FeatureLength, samples.ZeroPoint);
            sbyte[] f = samples.Features;
            int d = samples.FeatureLength;
            for (int i = 0; i < rowCount; i++) s.Add(f, rows[i] * d);
            s.Finish();
            return s;
        }

        /// <summary>z = (q - Mean) * InvStd for FeatureLength features.</summary>
        public void Apply(sbyte[] source, int offset, float[] destination)
        {
            Apply(Mean, InvStd, source, offset, destination);
        }

        /// <summary>z = (q - mean) * inv for mean.Length features: Apply without the standardizer
        /// object (a fit that keeps only Mean and InvStd, not the sums).</summary>
        internal static void Apply(float[] mean, float[] inv, sbyte[] source, int offset, float[] destination)
        {
            for (int j = 0; j < mean.Length; j++)
                destination[j] = (source[offset + j] - mean[j]) * inv[j];
        }
    }
}

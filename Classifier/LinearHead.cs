using System;

namespace MicroT.Runtime.Classifier
{
    /// <summary>How a head was trained (kept for information and in the saved task).</summary>
    public enum HeadKind
    {
        /// <summary>Multinomial logistic regression with L2 regularization.</summary>
        Logistic = 1,
        /// <summary>Ridge regression on one-vs-rest targets (-1, +1).</summary>
        Ridge = 2,
    }

    /// <summary>
    /// A trained linear classifier that scores int8 features directly:
    /// score[c] = Bias[c] + sum_j Weights[c * FeatureLength + j] * q[j].
    /// Standardization and the feature quantization are folded into Weights and Bias at training
    /// time, so scoring is one multiply-add per weight and allocates nothing.
    /// A class that had no samples at fit time gets AbsentClassBias and is never predicted.
    /// </summary>
    public sealed class LinearHead
    {
        /// <summary>Bias of a class that had no training samples: far below any real score.</summary>
        public const float AbsentClassBias = -1e30f;

        /// <summary>A head from trained weights (ClassCount x FeatureLength, row-major) and bias (ClassCount), both on quantized features; all values must be finite.</summary>
        public LinearHead(HeadKind kind, int featureLength, int classCount, float featureScale, int featureZeroPoint, float[] weights, float[] bias)
        {
            if (kind != HeadKind.Logistic && kind != HeadKind.Ridge) throw new ArgumentOutOfRangeException("kind");
            if (featureLength <= 0) throw new ArgumentOutOfRangeException("featureLength", "must be positive, was " + featureLength);
            if (classCount < 1 || classCount > SampleStore.MaxClasses) throw new ArgumentOutOfRangeException("classCount", "must be in 1.." + SampleStore.MaxClasses + ", was " + classCount);
            if (!(featureScale > 0f) || !FloatMath.IsFinite(featureScale)) throw new ArgumentOutOfRangeException("featureScale", "must be positive and finite");
            if (featureZeroPoint < -128 || featureZeroPoint > 127) throw new ArgumentOutOfRangeException("featureZeroPoint", "must be in -128..127");
            if (weights == null) throw new ArgumentNullException("weights");
            if (bias == null) throw new ArgumentNullException("bias");
            if (weights.Length != featureLength * classCount)
                throw new ArgumentException("weights must have classCount x featureLength = " + (featureLength * classCount) + " elements, has " + weights.Length);
            if (bias.Length != classCount) throw new ArgumentException("bias must have " + classCount + " elements, has " + bias.Length);
            for (int i = 0; i < weights.Length; i++)
                if (!FloatMath.IsFinite(weights[i])) throw new ArgumentException("weight " + i + " is not finite");
            for (int i = 0; i < bias.Length; i++)
                if (!FloatMath.IsFinite(bias[i])) throw new ArgumentException("bias " + i + " is not finite");
            Kind = kind;
            FeatureLength = featureLength;
            ClassCount = classCount;
            FeatureScale = featureScale;
            FeatureZeroPoint = featureZeroPoint;
            Weights = weights;
            Bias = bias;
        }

        /// <summary>How the head was trained.</summary>
        public HeadKind Kind { get; private set; }
        /// <summary>int8 features per input (length of one Weights row).</summary>
        public int FeatureLength { get; private set; }
        /// <summary>Number of classes (scores per Score call), 1..SampleStore.MaxClasses.</summary>
        public int ClassCount { get; private set; }
        /// <summary>Quantization of the features this head expects (checked against the model).</summary>
        public float FeatureScale { get; private set; }
        /// <summary>Zero point of the features this head expects, -128..127.</summary>
        public int FeatureZeroPoint { get; private set; }
        /// <summary>Row-major ClassCount x FeatureLength, acting on quantized features.</summary>
        public float[] Weights { get; private set; }
        /// <summary>Bias per class (AbsentClassBias for a class that had no samples).</summary>
        public float[] Bias { get; private set; }

        /// <summary>Multiply-adds of one Score call.</summary>
        public int Macs { get { return FeatureLength * ClassCount; } }

        /// <summary>True when features quantized with this scale and zero point fit this head.</summary>
        public bool Accepts(int featureLength, float scale, int zeroPoint)
        {
            return featureLength == FeatureLength && scale == FeatureScale && zeroPoint == FeatureZeroPoint;
        }

        /// <summary>Writes the ClassCount scores of the FeatureLength int8 features at offset.</summary>
        public void Score(sbyte[] features, int offset, float[] scores)
        {
            if (features == null) throw new ArgumentNullException("features");
            if (scores == null) throw new ArgumentNullException("scores");
            int d = FeatureLength;
            if (offset < 0 || offset > features.Length - d)
                throw new ArgumentException("features must hold " + d + " values from offset " + offset + " but has length " + features.Length);
            if (scores.Length < ClassCount) throw new ArgumentException("scores must hold " + ClassCount + " values, has " + scores.Length);
            float[] w = Weights;
            int k = 0;
            for (int c = 0; c < ClassCount; c++)
            {
                float s = Bias[c];
                for (int j = offset, end = offset + d; j < end; j++) s += w[k++] * features[j];
                scores[c] = s;
            }
        }

        /// <summary>Index of the largest of the first count scores (the first on ties; NaN ranks lowest).</summary>
        public static int ArgMax(float[] scores, int count)
        {
            int best = 0;
            for (int c = 1; c < count; c++) if (scores[c] > scores[best] || scores[best] != scores[best]) best = c;
            return best;
        }

        /// <summary>Largest softmax probability of the first count scores: 1 / sum_c exp(s_c - max),
        /// always in [0, 1]: scores equal to the largest (also infinite ones) count 1 each, NaN
        /// scores count 0, and 0 when every score is NaN.</summary>
        public static float Confidence(float[] scores, int count)
        {
            float max = scores[ArgMax(scores, count)];
            if (float.IsNaN(max)) return 0f;
            float sum = 0f;
            for (int c = 0; c < count; c++)
            {
                float s = scores[c];
                if (s == max) sum += 1f;
                else if (s - max > -87.33f) sum += FloatMath.Exp(s - max);  // false for NaN and -infinity
            }
            return 1f / sum;
        }

        /// <summary>
        /// Builds the head from weights on standardized features z = (q - mean) * invStd:
        /// score = b + W z = (b - sum_j W_j mean_j invStd_j) + sum_j (W_j invStd_j) q_j.
        /// Classes marked absent get zero weights and AbsentClassBias.
        /// </summary>
        internal static LinearHead Fold(HeadKind kind, int classes, float scale, int zeroPoint, FeatureStandardizer standardizer,
            float[] standardizedWeights, float[] standardizedBias, bool[] present)
        {
            int d = standardizer.FeatureLength;
            float[] w = new float[classes * d];
            float[] b = new float[classes];
            float[] mean = standardizer.Mean, inv = standardizer.InvStd;
            for (int c = 0; c < classes; c++)
            {
                if (!present[c]) { b[c] = AbsentClassBias; continue; }
                float bias = standardizedBias[c];
                for (int j = 0; j < d; j++)
                {
                    float wq = standardizedWeights[c * d + j] * inv[j];
                    w[c * d + j] = wq;
                    bias -= wq * mean[j];
                }
                b[c] = bias;
            }
            return new LinearHead(kind, d, classes, scale, zeroPoint, w, b);
        }
    }
}

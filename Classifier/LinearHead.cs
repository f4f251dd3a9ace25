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
    /// A trained linear classifier that scores int8 features directly, with float weights:
    /// score[c] = Bias[c] + sum_j Weights[c * FeatureLength + j] * q[j], or int8 weights with one
    /// scale per class (what training makes by default, a quarter of the memory):
    /// score[c] = Bias[c] + WeightScales[c] * sum_j QuantizedWeights[c * FeatureLength + j] * q[j],
    /// the sum an integer dot product of int8 weights and int8 features.
    /// Standardization and the feature quantization are folded into the weights and Bias at training
    /// time, so scoring is one multiply-add per weight and allocates nothing.
    /// A class that had no samples at fit time gets AbsentClassBias and is never predicted.
    /// </summary>
    public sealed class LinearHead
    {
        /// <summary>Bias of a class that had no training samples: far below any real score.</summary>
        public const float AbsentClassBias = -1e30f;

        /// <summary>A head from trained weights (ClassCount x FeatureLength, row-major) and bias (ClassCount), both on quantized features; all values must be finite.</summary>
        public LinearHead(HeadKind kind, int featureLength, int classCount, float featureScale, int featureZeroPoint, float[] weights, float[] bias)
            : this(kind, featureLength, classCount, featureScale, featureZeroPoint)
        {
            if (weights == null) throw new ArgumentNullException("weights");
            if (bias == null) throw new ArgumentNullException("bias");
            if (weights.Length != featureLength * classCount)
                throw new ArgumentException("weights must have classCount x featureLength = " + (featureLength * classCount) + " elements, has " + weights.Length);
            if (bias.Length != classCount) throw new ArgumentException("bias must have " + classCount + " elements, has " + bias.Length);
            for (int i = 0; i < weights.Length; i++)
                if (!FloatMath.IsFinite(weights[i])) throw new ArgumentException("weight " + i + " is not finite");
            for (int i = 0; i < bias.Length; i++)
                if (!FloatMath.IsFinite(bias[i])) throw new ArgumentException("bias " + i + " is not finite");
            Weights = weights;
            Bias = bias;
        }

        /// <summary>A head with int8 weights (ClassCount x FeatureLength, row-major), one scale per class
        /// and a bias per class, all on quantized features: score[c] = bias[c] + weightScales[c] x
        /// sum_j weights[c x FeatureLength + j] x q[j]. Scales and biases must be finite.</summary>
        public LinearHead(HeadKind kind, int featureLength, int classCount, float featureScale, int featureZeroPoint,
            sbyte[] weights, float[] weightScales, float[] bias)
            : this(kind, featureLength, classCount, featureScale, featureZeroPoint)
        {
            if (weights == null) throw new ArgumentNullException("weights");
            if (weightScales == null) throw new ArgumentNullException("weightScales");
            if (bias == null) throw new ArgumentNullException("bias");
            if (weights.Length != featureLength * classCount)
                throw new ArgumentException("weights must have classCount x featureLength = " + (featureLength * classCount) + " elements, has " + weights.Length);
            if (weightScales.Length != classCount) throw new ArgumentException("weightScales must have " + classCount + " elements, has " + weightScales.Length);
            if (bias.Length != classCount) throw new ArgumentException("bias must have " + classCount + " elements, has " + bias.Length);
            for (int i = 0; i < classCount; i++)
            {
                if (!FloatMath.IsFinite(weightScales[i])) throw new ArgumentException("weight scale " + i + " is not finite");
                if (!FloatMath.IsFinite(bias[i])) throw new ArgumentException("bias " + i + " is not finite");
            }
            QuantizedWeights = weights;
            WeightScales = weightScales;
            Bias = bias;
        }

        /// <summary>The shape and feature quantization both kinds of weights share, checked first.</summary>
        LinearHead(HeadKind kind, int featureLength, int classCount, float featureScale, int featureZeroPoint)
        {
            if (kind != HeadKind.Logistic && kind != HeadKind.Ridge) throw new ArgumentOutOfRangeException("kind");
            if (featureLength <= 0) throw new ArgumentOutOfRangeException("featureLength", "must be positive, was " + featureLength);
            if (classCount < 1 || classCount > SampleStore.MaxClasses) throw new ArgumentOutOfRangeException("classCount", "must be in 1.." + SampleStore.MaxClasses + ", was " + classCount);
            if (!(featureScale > 0f) || !FloatMath.IsFinite(featureScale)) throw new ArgumentOutOfRangeException("featureScale", "must be positive and finite");
            if (featureZeroPoint < -128 || featureZeroPoint > 127) throw new ArgumentOutOfRangeException("featureZeroPoint", "must be in -128..127");
            Kind = kind;
            FeatureLength = featureLength;
            ClassCount = classCount;
            FeatureScale = featureScale;
            FeatureZeroPoint = featureZeroPoint;
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
        /// <summary>Float weights, row-major ClassCount x FeatureLength, acting on quantized features;
        /// null for a head with int8 weights (IsQuantized).</summary>
        public float[] Weights { get; private set; }
        /// <summary>Int8 weights, row-major ClassCount x FeatureLength (scaled by WeightScales);
        /// null for a head with float weights.</summary>
        public sbyte[] QuantizedWeights { get; private set; }
        /// <summary>Scale of each class's int8 weights; null for a head with float weights.</summary>
        public float[] WeightScales { get; private set; }
        /// <summary>True when the head keeps int8 weights with a scale per class.</summary>
        public bool IsQuantized { get { return QuantizedWeights != null; } }
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
            int k = 0;
            sbyte[] q = QuantizedWeights;
            if (q != null)
            {
                float[] scale = WeightScales;
                for (int c = 0; c < ClassCount; c++)
                {
                    int s = 0;
                    for (int j = offset, end = offset + d; j < end; j++) s += q[k++] * features[j];
                    scores[c] = Bias[c] + scale[c] * s;
                }
                return;
            }
            float[] w = Weights;
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
        /// Builds the head from weights on standardized features z = (q - mean) * inv, every score
        /// multiplied by temperature: score = T b + T W z = (T b - sum_j W'_j mean_j) + sum_j W'_j q_j
        /// with W'_j = T W_j inv_j (computed in place of standardizedWeights; standardizedBias is
        /// overwritten too). Classes marked absent get zero weights and AbsentClassBias.
        /// quantize: int8 weights with one scale per class (QuantizeRow), the bias taken with the
        /// rounded weights so the scores stay centered on the samples' means.
        /// </summary>
        internal static LinearHead Fold(HeadKind kind, int classes, float scale, int zeroPoint, float[] mean, float[] inv,
            float[] standardizedWeights, float[] standardizedBias, bool[] present, float temperature, bool quantize)
        {
            int d = inv.Length;
            float[] w = standardizedWeights, b = standardizedBias;
            sbyte[] q = quantize ? new sbyte[classes * d] : null;
            float[] scales = quantize ? new float[classes] : null;
            for (int c = 0; c < classes; c++)
            {
                int row = c * d;
                if (!present[c])
                {
                    b[c] = AbsentClassBias;
                    for (int j = 0; j < d; j++) w[row + j] = 0f;
                    continue;
                }
                float bias = b[c] * temperature;
                for (int j = 0, at = row; j < d; j++, at++)
                {
                    float wq = w[at] * inv[j] * temperature;
                    w[at] = wq;
                    if (!quantize) bias -= wq * mean[j];
                }
                if (quantize)
                {
                    float s = QuantizeRow(w, row, d, inv, q);
                    scales[c] = s;
                    float shift = 0f;
                    for (int j = 0; j < d; j++) shift += q[row + j] * mean[j];
                    bias -= s * shift;
                }
                b[c] = bias;
            }
            if (quantize) return new LinearHead(kind, d, classes, scale, zeroPoint, q, scales, b);
            return new LinearHead(kind, d, classes, scale, zeroPoint, w, b);
        }

        /// <summary>Steps tried below the largest weight's grid: scale = max |W| / 127 x 0.85^k, k = 0..15.</summary>
        const int ScaleSteps = 16;

        /// <summary>
        /// Quantizes one class's weights w[row, row + d) to int8 (into q, same positions) with the
        /// scale s that minimizes the expected squared score error over the training samples,
        /// sum_j var_j (w_j - s round(w_j / s))^2 with var_j = 1 / inv_j^2 each feature's variance
        /// (features with little spread may carry large weights: clipping them costs little, so
        /// the search also tries scales below max |w| / 127). Returns s (0 when every weight is 0).
        /// </summary>
        internal static float QuantizeRow(float[] w, int row, int d, float[] inv, sbyte[] q)
        {
            float max = 0f;
            for (int j = 0; j < d; j++)
            {
                float a = w[row + j] < 0f ? -w[row + j] : w[row + j];
                if (a > max) max = a;
            }
            if (max == 0f)
            {
                for (int j = 0; j < d; j++) q[row + j] = 0;
                return 0f;
            }
            float best = -1f, bestError = 0f, s = max / 127f;
            for (int k = 0; k < ScaleSteps; k++, s *= 0.85f)
            {
                float error = 0f, invS = 1f / s;
                for (int j = 0; j < d; j++)
                {
                    if (inv[j] == 0f) continue;
                    float e = w[row + j] - s * Round127(w[row + j] * invS);
                    error += e * e / (inv[j] * inv[j]);
                }
                if (best < 0f || error < bestError) { best = s; bestError = error; }
            }
            float invBest = 1f / best;
            for (int j = 0; j < d; j++) q[row + j] = (sbyte)Round127(w[row + j] * invBest);
            return best;
        }

        /// <summary>x rounded half away from zero and clamped to -127..127.</summary>
        static int Round127(float x)
        {
            if (x >= 126.5f) return 127;
            if (x <= -126.5f) return -127;
            return (int)(x >= 0f ? x + 0.5f : x - 0.5f);
        }
    }
}

using System;

namespace MicroT.Runtime.Classifier
{
    /// <summary>
    /// Ridge-regression classifier with one-vs-rest targets (-1 / +1) on standardized features,
    /// as scikit-learn's RidgeClassifier, solved in closed form in float32: the standardized,
    /// centered Gram matrix (from the store's exact integer Gram when it keeps one, else built
    /// from the samples), one Cholesky factorization per L2 strength tried, two triangular solves
    /// per class. The strength is either fixed (HeadOptions.Lambda) or chosen from the samples by
    /// generalized cross-validation (HeadOptions.AutoLambda, the default). Memory while fitting:
    /// d(d+1)/2 floats for the factor plus classes x d floats (the weights of the head) and a few
    /// d-vectors.
    /// </summary>
    public static class RidgeClassifier
    {
        /// <summary>Most samples (the integer sums cannot overflow below that).</summary>
        public const int MaxSamples = SampleStore.MaxGramSamples;

        /// <summary>Fits on every sample of a store with a fixed L2 strength lambda (>= 0).</summary>
        public static LinearHead Fit(SampleStore samples, float lambda)
        {
            var options = new HeadOptions();
            options.Lambda = lambda;
            return Fit(samples, options);
        }

        /// <summary>Fits on every sample of a store (Kind is ignored; AutoLambda or Lambda apply).</summary>
        public static LinearHead Fit(SampleStore samples, HeadOptions options)
        {
            if (samples == null) throw new ArgumentNullException("samples");
            if (options == null) throw new ArgumentNullException("options");
            if (!options.AutoLambda && (!(options.Lambda >= 0f) || !FloatMath.IsFinite(options.Lambda)))
                throw new ArgumentOutOfRangeException("Lambda", "must be zero or positive and finite");
            return Fit(samples, null, samples.Count, options);
        }

        /// <summary>Fits on the first rowCount sample indices of rows (null: every sample).</summary>
        internal static LinearHead Fit(SampleStore samples, int[] rows, int rowCount, HeadOptions options)
        {
            var fit = new RidgeFit(samples, rows, rowCount);
            fit.Select(options.AutoLambda ? -1f : options.Lambda);
            fit.Weights();
            return fit.ToHead(1f);
        }
    }

    /// <summary>One ridge fit on a store: standardization, strength selection, weights,
    /// closed-form leave-one-out predictions, the folded head.</summary>
    internal sealed class RidgeFit
    {
        /// <summary>Candidate strengths are Alphas[k] x n (standardized features: the Gram diagonal is n).</summary>
        static readonly float[] Alphas = { 0.01f, 0.031622777f, 0.1f, 0.31622777f, 1f, 3.1622777f, 10f, 31.622777f, 100f };

        readonly SampleStore _s;
        readonly int[] _rows;           // null: every sample of the store
        readonly int _n, _d, _classes;
        readonly int[] _sums;           // per feature: sum of u = q - zeroPoint over the rows
        readonly float[] _inv;          // per feature: 1 / std (population), 0 for a constant feature
        readonly int[] _counts;         // samples per class
        readonly float[] _x;            // d scratch
        readonly float[] _w;            // classes x d: right-hand sides Z^T (y - mean y), then standardized weights
        readonly float[] _b;
        float[] _a;                     // packed lower triangle: the matrix, then its Cholesky factor
        float _factored = float.NaN;    // strength whose factor _a holds

        /// <summary>The L2 strength used (after Select).</summary>
        public float Lambda;
        /// <summary>Factorizations done by Select.</summary>
        public int Factorizations;

        public RidgeFit(SampleStore s, int[] rows, int rowCount)
        {
            if (rowCount < 1) throw new InvalidOperationException("cannot fit a head without samples");
            if (rowCount > RidgeClassifier.MaxSamples) throw new InvalidOperationException("at most " + RidgeClassifier.MaxSamples + " samples");
            _s = s; _rows = rows; _n = rowCount; _d = s.FeatureLength; _classes = s.ClassCount;
            int d = _d, zp = s.ZeroPoint;
            _sums = new int[d];
            _inv = new float[d];
            _counts = new int[_classes];
            _x = new float[d];
            _w = new float[_classes * d];
            _b = new float[_classes];
            sbyte[] f = s.Features;
            byte[] labels = s.Labels;
            int[] sums = _sums;
            float[] w = _w;
            for (int i = 0; i < _n; i++)
            {
                int r = rows == null ? i : rows[i];
                int label = labels[r];
                _counts[label]++;
                for (int j = 0, at = r * d, c = label * d; j < d; j++, at++, c++)
                {
                    int u = f[at] - zp;
                    sums[j] += u;
                    w[c] += u;              // class sums of u: exact in float below 2^24
                }
            }
            long n = _n;
            int[] gram = rows == null ? s.Gram : null;
            for (int j = 0; j < d; j++)
            {
                long squares = 0;
                if (gram != null) squares = gram[j * (j + 1) / 2 + j];
                else
                    for (int i = 0; i < _n; i++)
                    {
                        int u = f[(rows == null ? i : rows[i]) * d + j] - zp;
                        squares += u * u;
                    }
                long scaledVariance = n * squares - (long)sums[j] * sums[j];   // n^2 var, exact
                _inv[j] = scaledVariance <= 0 ? 0f : n / FloatMath.Sqrt(scaledVariance);
            }
            // Right-hand side per class: Z^T (y - mean y) = 2 D (Sc - S nc / n) for y = +-1.
            float invN = 1f / n;
            for (int c = 0; c < _classes; c++)
            {
                float nc = _counts[c] * invN;
                for (int j = 0, at = c * d; j < d; j++, at++)
                    w[at] = _counts[c] == 0 ? 0f : 2f * (w[at] - sums[j] * nc) * _inv[j];
            }
            _a = new float[d * (d + 1) / 2];
        }

        /// <summary>Chooses the strength: fixed when lambda >= 0, else the least GCV error over
        /// the candidates, searched downhill from Alphas[2] and Alphas[3]. Leaves its factor in place.</summary>
        public void Select(float lambda)
        {
            if (lambda >= 0f)
            {
                Lambda = lambda;
                Factor(lambda);
                return;
            }
            int m = Alphas.Length;
            float[] gcv = new float[m];
            for (int k = 0; k < m; k++) gcv[k] = float.NaN;
            gcv[2] = Gcv(Alphas[2] * _n);
            gcv[3] = Gcv(Alphas[3] * _n);
            int best = gcv[2] <= gcv[3] ? 2 : 3;
            int step = best == 2 ? -1 : 1;
            for (int k = best + step; k >= 0 && k < m; k += step)
            {
                gcv[k] = Gcv(Alphas[k] * _n);
                if (!(gcv[k] < gcv[best])) break;
                best = k;
            }
            Lambda = Alphas[best] * _n;
            Factor(Lambda);
        }

        /// <summary>Generalized cross-validation error at strength lambda (up to a constant factor):
        /// RSS / (1 - tr(H) / n)^2 over every present class, from the factor alone (no pass over the samples).</summary>
        float Gcv(float lambda)
        {
            Factor(lambda);
            int d = _d;
            float[] x = _x;
            float n = _n, rss = 0f;
            for (int c = 0; c < _classes; c++)
            {
                int nc = _counts[c];
                if (nc == 0) continue;
                Array.Copy(_w, c * d, x, 0, d);
                Forward(_a, d, x, 0);
                float rAr = SumOfSquares(x, d);              // r^T A^-1 r = w . r
                Backward(_a, d, x, 0);
                float ww = SumOfSquares(x, d);               // |w|^2
                float mean = (2f * nc - n) / n;
                float yy = nc * (1f - mean) * (1f - mean) + (n - nc) * (1f + mean) * (1f + mean);
                float r = yy - rAr - lambda * ww;            // |y - Z w|^2 with Z^T Z = A - lambda I
                if (r > 0f) rss += r;
            }
            float hatTrace = 1f + d - lambda * TraceOfInverse(); // intercept + tr(Z A^-1 Z^T)
            float denominator = 1f - hatTrace / n;
            if (!(denominator > 0f)) return float.PositiveInfinity;
            return rss / (denominator * denominator);
        }

        /// <summary>Puts the Cholesky factor of D Gc D + lambda I into _a (Gc: the centered Gram).</summary>
        void Factor(float lambda)
        {
            if (_factored == lambda) return;
            Build(lambda);
            Cholesky(_a, _d);
            _factored = lambda;
            Factorizations++;
        }

        void Build(float lambda)
        {
            float[] a = _a, inv = _inv;
            int d = _d;
            int[] sums = _sums;
            int[] gram = _rows == null ? _s.Gram : null;
            long n = _n;
            float invN = 1f / n;
            if (gram != null)
            {
                int at = 0;
                for (int i = 0; i < d; i++)
                {
                    long si = sums[i];
                    float fi = inv[i] * invN;
                    for (int j = 0; j <= i; j++, at++)
                        a[at] = (n * gram[at] - si * sums[j]) * fi * inv[j];    // n Gc exact, then one rounding
                    a[at - 1] += lambda;
                }
                return;
            }
            // Two passes: means, then the centered standardized products in float.
            Array.Clear(a, 0, a.Length);
            sbyte[] f = _s.Features;
            float[] x = _x;
            int zp = _s.ZeroPoint;
            for (int r = 0; r < _n; r++)
            {
                int off = (_rows == null ? r : _rows[r]) * d;
                for (int j = 0; j < d; j++) x[j] = (f[off + j] - zp - sums[j] * invN) * inv[j];
                int at = 0;
                for (int i = 0; i < d; i++)
                {
                    float xi = x[i];
                    if (xi == 0f) { at += i + 1; continue; }
                    for (int j = 0; j <= i; j++, at++) a[at] += xi * x[j];
                }
            }
            for (int i = 0; i < d; i++) a[i * (i + 1) / 2 + i] += lambda;
        }

        /// <summary>Solves for the standardized weights at the selected strength (in place of the right-hand sides).</summary>
        public void Weights()
        {
            int d = _d;
            float n = _n;
            for (int c = 0; c < _classes; c++)
            {
                if (_counts[c] == 0) { _b[c] = LinearHead.AbsentClassBias; continue; }
                Forward(_a, d, _w, c * d);
                Backward(_a, d, _w, c * d);
                _b[c] = (2f * _counts[c] - n) / n;       // the mean target: the intercept on centered features
            }
        }

        /// <summary>
        /// Closed-form leave-one-out scores after Weights: for each sample i the scores of the head
        /// fitted without it, y - (y - f) / (1 - h_i), with f the fitted scores and h_i = 1/n +
        /// z_i^T A^-1 z_i its leverage (exact for ridge with a fixed standardization and strength).
        /// scores (n x classes, or null) receives them; correct (n, or null) whether their arg max is the label.
        /// </summary>
        public void LeaveOneOut(float[] scores, bool[] correct)
        {
            int d = _d, classes = _classes, zp = _s.ZeroPoint;
            float[] x = _x, w = _w, inv = _inv;
            int[] sums = _sums;
            float[] fitted = new float[classes];
            sbyte[] f = _s.Features;
            byte[] labels = _s.Labels;
            float invN = 1f / _n;
            for (int i = 0; i < _n; i++)
            {
                int r = _rows == null ? i : _rows[i];
                int off = r * d, label = labels[r];
                for (int j = 0; j < d; j++) x[j] = (f[off + j] - zp - sums[j] * invN) * inv[j];
                for (int c = 0; c < classes; c++)
                {
                    fitted[c] = _b[c] + Dot(w, c * d, x, 0, d);
                }
                Forward(_a, d, x, 0);
                float keep = 1f - invN - SumOfSquares(x, d);     // 1 - h_i
                if (!(keep > 1e-6f)) keep = 1e-6f;
                for (int c = 0; c < classes; c++)
                {
                    if (_counts[c] == 0) { fitted[c] = LinearHead.AbsentClassBias; continue; }
                    float y = c == label ? 1f : -1f;
                    fitted[c] = y - (y - fitted[c]) / keep;
                }
                if (scores != null) Array.Copy(fitted, 0, scores, i * classes, classes);
                if (correct != null) correct[i] = LinearHead.ArgMax(fitted, classes) == label;
            }
        }

        /// <summary>Frees the factor (the largest buffer) once it is no longer needed.</summary>
        public void Release() { _a = null; _factored = float.NaN; }

        /// <summary>The head: standardization folded into the weights, every score multiplied by
        /// temperature (argmax unchanged; the confidence sharpens). Takes over the weight arrays.</summary>
        public LinearHead ToHead(float temperature)
        {
            Release();
            int d = _d, zp = _s.ZeroPoint;
            float invN = 1f / _n;
            float[] w = _w, inv = _inv;
            for (int c = 0; c < _classes; c++)
            {
                if (_counts[c] == 0) continue;   // zero weights, AbsentClassBias
                float bias = _b[c] * temperature;
                for (int j = 0, at = c * d; j < d; j++, at++)
                {
                    float wq = w[at] * inv[j] * temperature;
                    w[at] = wq;
                    bias -= wq * (_sums[j] * invN + zp);
                }
                _b[c] = bias;
            }
            return new LinearHead(HeadKind.Ridge, d, _classes, _s.Scale, zp, w, _b);
        }

        /// <summary>sum_k a[p + k] b[q + k], k &lt; count (a and b may be the same array), unrolled by eight (one call per row, no call per element).</summary>
        static float Dot(float[] a, int p, float[] b, int q, int count)
        {
            float s = 0f;
            int end = p + count;
            for (int end8 = end - 7; p < end8; p += 8, q += 8)
                s += a[p] * b[q] + a[p + 1] * b[q + 1] + a[p + 2] * b[q + 2] + a[p + 3] * b[q + 3]
                   + a[p + 4] * b[q + 4] + a[p + 5] * b[q + 5] + a[p + 6] * b[q + 6] + a[p + 7] * b[q + 7];
            if (p + 3 < end)
            {
                s += a[p] * b[q] + a[p + 1] * b[q + 1] + a[p + 2] * b[q + 2] + a[p + 3] * b[q + 3];
                p += 4; q += 4;
            }
            if (p + 1 < end)
            {
                s += a[p] * b[q] + a[p + 1] * b[q + 1];
                p += 2; q += 2;
            }
            if (p < end) s += a[p] * b[q];
            return s;
        }

        static float SumOfSquares(float[] x, int d)
        {
            float s = 0f;
            for (int j = 0; j < d; j++) s += x[j] * x[j];
            return s;
        }

        /// <summary>tr(A^-1) = |L^-1|_F^2, column by column (x = L^-1 e_j), d^3 / 6 multiply-adds.</summary>
        float TraceOfInverse()
        {
            float[] l = _a, x = _x;
            int d = _d;
            float total = 0f;
            for (int j = 0; j < d; j++)
            {
                float xj = 1f / l[j * (j + 1) / 2 + j];
                x[j] = xj;
                total += xj * xj;
                for (int i = j + 1; i < d; i++)
                {
                    int row = i * (i + 1) / 2;
                    float xi = -Dot(l, row + j, x, j, i - j) / l[row + i];
                    x[i] = xi;
                    total += xi * xi;
                }
            }
            return total;
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
                    float s = a[rowI + j] - Dot(a, rowI, a, rowJ, j);
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

        /// <summary>Solves L y = b in place on b[offset, offset + d).</summary>
        static void Forward(float[] l, int d, float[] b, int offset)
        {
            for (int i = 0; i < d; i++)
            {
                int row = i * (i + 1) / 2;
                b[offset + i] = (b[offset + i] - Dot(l, row, b, offset, i)) / l[row + i];
            }
        }

        /// <summary>Solves L^T x = y in place on b[offset, offset + d) (column-oriented: rows of L are contiguous).</summary>
        static void Backward(float[] l, int d, float[] b, int offset)
        {
            for (int i = d - 1; i >= 0; i--)
            {
                int row = i * (i + 1) / 2;
                float xi = b[offset + i] / l[row + i];
                b[offset + i] = xi;
                int p = row, q = offset, end = row + i;
                for (int end4 = end - 3; p < end4; p += 4, q += 4)
                {
                    b[q] -= l[p] * xi; b[q + 1] -= l[p + 1] * xi;
                    b[q + 2] -= l[p + 2] * xi; b[q + 3] -= l[p + 3] * xi;
                }
                for (; p < end; p++, q++) b[q] -= l[p] * xi;
            }
        }
    }
}

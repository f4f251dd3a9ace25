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
            var fit = new RidgeFit(samples, rows, rowCount, options.Solver);
            fit.Select(options.AutoLambda ? -1f : options.Lambda);
            fit.Weights();
            return fit.ToHead(1f, options.QuantizeWeights);
        }
    }

    /// <summary>
    /// One ridge fit on a store: standardization, strength selection, weights, closed-form
    /// leave-one-out predictions, the folded head. Two forms of the same solution:
    /// <list type="bullet">
    /// <item>primal (more samples than features): the d x d standardized, centered Gram
    /// Zc^T Zc + lambda I (from the store's integer Gram when it keeps one), w = A^-1 Zc^T y;</item>
    /// <item>dual (n &lt;= d): the n x n kernel K = Zc Zc^T of the samples, alpha = (K + lambda I)^-1 yc,
    /// w = Zc^T alpha; residuals are lambda alpha, the leverages 1 - lambda Gc_ii with Gc = (K + lambda I)^-1 on the centered subspace.</item>
    /// </list>
    /// Both give the same weights, GCV errors and leave-one-out scores in exact arithmetic.
    /// </summary>
    internal sealed class RidgeFit
    {
        /// <summary>Candidate strengths are Alphas[k] x n (standardized features: the Gram diagonal is n).</summary>
        static readonly float[] Alphas = { 0.01f, 0.031622777f, 0.1f, 0.31622777f, 1f, 3.1622777f, 10f, 31.622777f, 100f };

        readonly SampleStore _s;
        readonly int[] _rows;           // null: every sample of the store
        readonly int _n, _d, _classes;
        readonly int _order;            // size of the system: d (primal) or n (dual)
        readonly int[] _sums;           // per feature: sum of u = q - zeroPoint over the rows
        readonly float[] _inv;          // per feature: 1 / std (population), 0 for a constant feature
        readonly int[] _counts;         // samples per class
        float[] _x;                     // max(n, d) scratch (until Release)
        float[] _w;                     // classes x d: primal right-hand sides Z^T (y - mean y), then standardized weights
        readonly float[] _b;
        float[] _a;                     // packed lower triangle of order _order: the matrix, then its Cholesky factor
        float[] _k;                     // dual: packed lower triangle of the kernel Zc Zc^T (until the strength is chosen)
        float[] _alpha;                 // dual: classes x n dual coefficients (after Weights)
        float _factored = float.NaN;    // strength whose factor _a holds
        float _shift;                   // dual: c n, the eigenvalue the kernel holds along 1 / sqrt(n) (see BuildKernel)

        /// <summary>The L2 strength used (after Select).</summary>
        public float Lambda;
        /// <summary>Factorizations done by Select.</summary>
        public int Factorizations;
        /// <summary>True when the fit runs in the dual (kernel) form.</summary>
        public readonly bool Dual;

        /// <summary>True when Auto picks the dual form: no more samples than features (the n x n
        /// system is then at most the d x d one, needs no Gram in the store and costs fewer operations).</summary>
        public static bool PrefersDual(int samples, int features) { return samples <= features; }

        /// <summary>Size of the system a fit of samples x features solves with this solver (n dual, d primal).</summary>
        public static int Order(int samples, int features, RidgeSolver solver)
        {
            return IsDual(samples, features, solver) ? samples : features;
        }

        static bool IsDual(int samples, int features, RidgeSolver solver)
        {
            return solver == RidgeSolver.Dual || (solver != RidgeSolver.Primal && PrefersDual(samples, features));
        }

        public RidgeFit(SampleStore s, int[] rows, int rowCount, RidgeSolver solver)
        {
            if (rowCount < 1) throw new InvalidOperationException("cannot fit a head without samples");
            if (rowCount > RidgeClassifier.MaxSamples) throw new InvalidOperationException("at most " + RidgeClassifier.MaxSamples + " samples");
            _s = s; _rows = rows; _n = rowCount; _d = s.FeatureLength; _classes = s.ClassCount;
            int d = _d, zp = s.ZeroPoint;
            Dual = IsDual(rowCount, d, solver);
            _order = Dual ? _n : d;
            _sums = new int[d];
            _inv = new float[d];
            _counts = new int[_classes];
            _x = new float[_n > d ? _n : d];
            _b = new float[_classes];
            if (!Dual) _w = new float[_classes * d];
            sbyte[] f = s.Features;
            byte[] labels = s.Labels;
            int[] sums = _sums;
            float[] w = _w;
            for (int i = 0; i < _n; i++)
            {
                int r = rows == null ? i : rows[i];
                int label = labels[r];
                _counts[label]++;
                if (w == null)
                    for (int j = 0, at = r * d; j < d; j++, at++) sums[j] += f[at] - zp;
                else
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
            if (Dual)
            {
                _k = new float[_n * (_n + 1) / 2];
                BuildKernel();
                _a = new float[_k.Length];
                return;
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

        /// <summary>Dual: K[i][j] = zc_i . zc_j for j &lt;= i. Per row i, x = zc_i D (the standardized,
        /// centered row times the inverse std once more), then K[i][j] = x . (q_j - c) - x . (mean(q) - c)
        /// with c the per-feature mean rounded to an integer (so the correction is small and the
        /// float sum cancels nothing large): one float-by-int8 dot product per entry over the stored features.</summary>
        void BuildKernel()
        {
            int n = _n, d = _d, zp = _s.ZeroPoint;
            float[] x = _x, k = _k, inv = _inv;
            int[] sums = _sums, rows = _rows;
            sbyte[] f = _s.Features;
            float invN = 1f / n;
            int[] center = new int[d];
            for (int j = 0; j < d; j++)
            {
                int s = sums[j];
                center[j] = zp + (s >= 0 ? (2 * s + n) / (2 * n) : -((-2 * s + n) / (2 * n)));   // zp + round(mean u)
            }
            int at = 0;
            for (int i = 0; i < n; i++)
            {
                int off = (rows == null ? i : rows[i]) * d;
                float shift = 0f;
                for (int j = 0; j < d; j++)
                {
                    float mean = sums[j] * invN;
                    float xj = (f[off + j] - zp - mean) * inv[j] * inv[j];
                    x[j] = xj;
                    shift += xj * (mean + zp - center[j]);
                }
                for (int j = 0; j <= i; j++, at++)
                    k[at] = Dot(x, f, (rows == null ? j : rows[j]) * d, center, d) - shift;
            }
            // K 1 = 0 (centered samples), so (K + lambda I)^-1 holds 1/lambda along 1 / sqrt(n), which
            // the leverages and the hat trace would have to subtract again (cancelling most digits
            // when lambda is small). Adding c 1 1^T with c n = the mean diagonal moves that direction
            // to eigenvalue c n + lambda, a known amount (Shift) the formulas take out, and leaves
            // the coefficients alone (every centered target is orthogonal to 1).
            float trace = 0f;
            for (int i = 0, diagonal = 0; i < n; i++, diagonal += i + 1) trace += k[diagonal];
            float c = trace > 0f ? trace * invN * invN : 1f;
            for (int i = 0; i < k.Length; i++) k[i] += c;
            _shift = c * n;
        }

        /// <summary>Chooses the strength: fixed when lambda >= 0, else the least GCV error over
        /// the candidates, searched downhill from Alphas[2] and Alphas[3]. Leaves its factor in place.</summary>
        public void Select(float lambda)
        {
            if (lambda >= 0f)
            {
                Lambda = lambda;
                Factor(lambda);
                _k = null;
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
            _k = null;                  // dual: the kernel is not needed once the factor is final
        }

        /// <summary>Generalized cross-validation error at strength lambda (up to a constant factor):
        /// RSS / (1 - tr(H) / n)^2 over every present class, from the factor alone (no pass over the samples).</summary>
        float Gcv(float lambda)
        {
            Factor(lambda);
            float n = _n, rss = 0f, hatTrace;
            float[] x = _x;
            if (Dual)
            {
                for (int c = 0; c < _classes; c++)
                {
                    if (_counts[c] == 0) continue;
                    Solve(c, x);
                    rss += Dot(x, 0, x, 0, _n);              // residual y - f = lambda alpha
                }
                rss *= lambda * lambda;
                // intercept + tr(K (K + lambda I)^-1) = n - lambda tr(Gc), Gc = G without its 1 / sqrt(n) part
                hatTrace = n - lambda * (TraceOfInverse(null) - 1f / (_shift + lambda));
            }
            else
            {
                int d = _d;
                for (int c = 0; c < _classes; c++)
                {
                    int nc = _counts[c];
                    if (nc == 0) continue;
                    Array.Copy(_w, c * d, x, 0, d);
                    Forward(_a, d, x, 0);
                    float rAr = Dot(x, 0, x, 0, d);              // r^T A^-1 r = w . r
                    Backward(_a, d, x, 0);
                    float ww = Dot(x, 0, x, 0, d);               // |w|^2
                    float mean = (2f * nc - n) / n;
                    float yy = nc * (1f - mean) * (1f - mean) + (n - nc) * (1f + mean) * (1f + mean);
                    float r = yy - rAr - lambda * ww;            // |y - Z w|^2 with Z^T Z = A - lambda I
                    if (r > 0f) rss += r;
                }
                hatTrace = 1f + d - lambda * TraceOfInverse(null); // intercept + tr(Z A^-1 Z^T)
            }
            float denominator = 1f - hatTrace / n;
            if (!(denominator > 0f)) return float.PositiveInfinity;
            return rss / (denominator * denominator);
        }

        /// <summary>Dual: x = (K + lambda I)^-1 (y_c - mean y_c), the dual coefficients of class c.</summary>
        void Solve(int c, float[] x)
        {
            int n = _n;
            byte[] labels = _s.Labels;
            int[] rows = _rows;
            float mean = (2f * _counts[c] - n) / n;
            float yes = 1f - mean, no = -1f - mean;
            for (int i = 0; i < n; i++) x[i] = labels[rows == null ? i : rows[i]] == c ? yes : no;
            Forward(_a, n, x, 0);
            Backward(_a, n, x, 0);
        }

        /// <summary>Puts the Cholesky factor of the system at strength lambda into _a: primal D Gc D + lambda I
        /// (Gc: the centered Gram), dual K + lambda I.</summary>
        void Factor(float lambda)
        {
            if (_factored == lambda) return;
            if (Dual)
            {
                float[] a = _a;
                Array.Copy(_k, a, a.Length);
                for (int i = 0, at = 0; i < _n; i++, at += i + 1) a[at] += lambda;   // diagonal (i, i) at i(i+3)/2
            }
            else Build(lambda);
            Cholesky(_a, _order, Dual);
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
            float[] x = _x;
            for (int r = 0; r < _n; r++)
            {
                Standardize(r, x);
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

        /// <summary>x = the standardized, centered features of sample row r (r-th of the fit's rows).</summary>
        void Standardize(int r, float[] x)
        {
            int d = _d, zp = _s.ZeroPoint;
            int off = (_rows == null ? r : _rows[r]) * d;
            sbyte[] f = _s.Features;
            float[] inv = _inv;
            int[] sums = _sums;
            float invN = 1f / _n;
            for (int j = 0; j < d; j++) x[j] = (f[off + j] - zp - sums[j] * invN) * inv[j];
        }

        /// <summary>Solves for the standardized weights at the selected strength (primal: in place of the
        /// right-hand sides; dual: the dual coefficients per class, turned into w = Zc^T alpha by Release,
        /// once the factor is gone).</summary>
        public void Weights()
        {
            int d = _d, n = _n, classes = _classes;
            if (!Dual)
            {
                for (int c = 0; c < classes; c++)
                {
                    if (_counts[c] == 0) { _b[c] = LinearHead.AbsentClassBias; continue; }
                    Forward(_a, d, _w, c * d);
                    Backward(_a, d, _w, c * d);
                    _b[c] = (2f * _counts[c] - n) / (float)n;    // the mean target: the intercept on centered features
                }
                return;
            }
            _alpha = new float[classes * n];
            float[] x = _x, alpha = _alpha;
            for (int c = 0; c < classes; c++)
            {
                if (_counts[c] == 0) { _b[c] = LinearHead.AbsentClassBias; continue; }
                Solve(c, x);
                Array.Copy(x, 0, alpha, c * n, n);
                _b[c] = (2f * _counts[c] - n) / (float)n;
            }
        }

        /// <summary>Dual: w = Zc^T alpha, one pass over the samples (classes x n x d multiply-adds).</summary>
        void DualWeights()
        {
            int d = _d, n = _n, classes = _classes;
            _w = new float[classes * d];
            float[] x = _x, alpha = _alpha, w = _w;
            for (int i = 0; i < n; i++)
            {
                Standardize(i, x);
                for (int c = 0; c < classes; c++)
                {
                    float a = alpha[c * n + i];
                    if (a == 0f) continue;                   // absent class
                    for (int j = 0, at = c * d; j < d; j++, at++) w[at] += a * x[j];
                }
            }
        }

        /// <summary>
        /// Closed-form leave-one-out scores after Weights: for each sample i the scores of the head
        /// fitted without it, y - (y - f) / (1 - h_i), with f the fitted scores and h_i its leverage
        /// (primal: 1/n + z_i^T A^-1 z_i; dual: 1 - lambda Gc_ii, and y - f = lambda alpha_i), exact
        /// for ridge with a fixed standardization and strength.
        /// scores (n x classes, or null) receives them; correct (n, or null) whether their arg max is the label.
        /// </summary>
        public void LeaveOneOut(float[] scores, bool[] correct)
        {
            Predict(scores, correct, false);
        }

        /// <summary>
        /// As LeaveOneOut, but scores receives each sample's scores as a new sample's would be: the
        /// residual y - f scaled by sqrt((1 + h_i) / (1 - h_i)) instead of 1 / (1 - h_i). In least
        /// squares a training residual has variance s^2 (1 - h_i), a new sample's prediction error
        /// s^2 (1 + h) (h its leverage): the scale matches the two, where the exact leave-one-out
        /// residual, s^2 / (1 - h_i), is larger by a factor 1 / (1 - h_i^2) (what the (n - 1)-sample
        /// fit loses against the n-sample head that answers). correct (n, or null) still says whether
        /// the exact leave-one-out arg max is the label.
        /// </summary>
        public void NewSampleScores(float[] scores, bool[] correct)
        {
            Predict(scores, correct, true);
        }

        void Predict(float[] scores, bool[] correct, bool newSample)
        {
            int d = _d, n = _n, classes = _classes;
            float[] x = _x, w = _w;
            float[] exact = new float[classes];                      // y - f of the head on all samples, then the exact leave-one-out scores
            float[] fitted = newSample ? new float[classes] : exact; // the scores written to scores
            byte[] labels = _s.Labels;
            float invN = 1f / n, lambda = Lambda;
            float[] diagonal = Dual ? new float[n] : null;
            if (Dual) TraceOfInverse(diagonal);
            float along1 = Dual ? invN / (_shift + lambda) : 0f;      // dual: G_ii's part along 1 / sqrt(n)
            for (int i = 0; i < n; i++)
            {
                int label = labels[_rows == null ? i : _rows[i]];
                float keep;                                          // 1 - h_i
                if (Dual)
                {
                    keep = lambda * (diagonal[i] - along1);
                    for (int c = 0; c < classes; c++) exact[c] = lambda * _alpha[c * n + i];
                }
                else
                {
                    Standardize(i, x);
                    for (int c = 0; c < classes; c++) exact[c] = (c == label ? 1f : -1f) - (_b[c] + Dot(w, c * d, x, 0, d));
                    Forward(_a, d, x, 0);
                    keep = 1f - invN - Dot(x, 0, x, 0, d);
                }
                if (!(keep > 1e-6f)) keep = 1e-6f;
                float scale = newSample ? FloatMath.Sqrt((2f - keep) / keep) : 0f;
                for (int c = 0; c < classes; c++)
                {
                    if (_counts[c] == 0) { fitted[c] = LinearHead.AbsentClassBias; exact[c] = LinearHead.AbsentClassBias; continue; }
                    float y = c == label ? 1f : -1f, r = exact[c];
                    if (newSample) fitted[c] = y - r * scale;
                    exact[c] = y - r / keep;                 // over its residual
                }
                if (scores != null) Array.Copy(fitted, 0, scores, i * classes, classes);
                if (correct != null) correct[i] = LinearHead.ArgMax(exact, classes) == label;
            }
        }

        /// <summary>Frees the factor (the largest buffer) once it is no longer needed (after Weights and
        /// LeaveOneOut); dual: then computes the weights from the dual coefficients and frees those.
        /// Only ToHead may follow.</summary>
        public void Release()
        {
            _a = null; _k = null; _factored = float.NaN;
            if (Dual && _alpha != null && _w == null) DualWeights();
            _alpha = null;
            _x = null;
        }

        /// <summary>The head: standardization folded into the weights, every score multiplied by
        /// temperature (argmax unchanged; the confidence sharpens), int8 weights when quantize
        /// (LinearHead.Fold). Takes over the weight arrays.</summary>
        public LinearHead ToHead(float temperature, bool quantize)
        {
            Release();
            int d = _d, zp = _s.ZeroPoint;
            float invN = 1f / _n;
            float[] mean = new float[d];
            for (int j = 0; j < d; j++) mean[j] = _sums[j] * invN + zp;
            bool[] present = new bool[_classes];
            for (int c = 0; c < _classes; c++) present[c] = _counts[c] > 0;
            float[] w = _w;
            _w = null;
            return LinearHead.Fold(HeadKind.Ridge, _classes, _s.Scale, zp, mean, _inv, w, _b, present, temperature, quantize);
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

        /// <summary>sum_k a[k] (b[q + k] - c[k]), k &lt; count: floats times centered int8 features, unrolled by eight.</summary>
        static float Dot(float[] a, sbyte[] b, int q, int[] c, int count)
        {
            float s = 0f;
            int p = 0;
            for (int end8 = count - 7; p < end8; p += 8, q += 8)
                s += a[p] * (b[q] - c[p]) + a[p + 1] * (b[q + 1] - c[p + 1]) + a[p + 2] * (b[q + 2] - c[p + 2]) + a[p + 3] * (b[q + 3] - c[p + 3])
                   + a[p + 4] * (b[q + 4] - c[p + 4]) + a[p + 5] * (b[q + 5] - c[p + 5]) + a[p + 6] * (b[q + 6] - c[p + 6]) + a[p + 7] * (b[q + 7] - c[p + 7]);
            for (; p < count; p++, q++) s += a[p] * (b[q] - c[p]);
            return s;
        }

        /// <summary>tr(A^-1) = |L^-1|_F^2, column by column (x = L^-1 e_j, whose squared norm is
        /// (A^-1)_jj, written to diagonal[j] when diagonal is not null), m^3 / 6 multiply-adds.</summary>
        float TraceOfInverse(float[] diagonal)
        {
            float[] l = _a, x = _x;
            int d = _order;
            float total = 0f;
            for (int j = 0; j < d; j++)
            {
                float xj = 1f / l[j * (j + 1) / 2 + j];
                x[j] = xj;
                float column = xj * xj;
                for (int i = j + 1; i < d; i++)
                {
                    int row = i * (i + 1) / 2;
                    float xi = -Dot(l, row + j, x, j, i - j) / l[row + i];
                    x[i] = xi;
                    column += xi * xi;
                }
                if (diagonal != null) diagonal[j] = column;
                total += column;
            }
            return total;
        }

        /// <summary>In-place Cholesky A = L L^T of a packed lower triangle.</summary>
        static void Cholesky(float[] a, int d, bool dual)
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
                            throw new InvalidOperationException(dual
                                ? "the kernel matrix of the samples is singular at sample " + i + " (centered samples always are without a strength); use a positive Lambda"
                                : "the standardized Gram matrix is singular at feature " + i + " (constant or duplicate features); use a positive Lambda");
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

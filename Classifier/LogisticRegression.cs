using System;

namespace MicroT.Runtime.Classifier
{
    /// <summary>
    /// Multinomial logistic regression with L2 regularization on standardized int8 features,
    /// solved in float32 by L-BFGS with a backtracking (Armijo) line search. Memory is bounded by
    /// the history size, not by the sample count: features stay int8 in the store and are
    /// standardized one row at a time. Classes without samples are left out of the problem
    /// (their optimum is at minus infinity) and are never predicted.
    /// </summary>
    public static class LogisticRegression
    {
        /// <summary>Fits on every sample of the store with the given options (Kind is ignored).</summary>
        public static LinearHead Fit(SampleStore samples, HeadOptions options)
        {
            if (samples == null) throw new ArgumentNullException("samples");
            if (options == null) throw new ArgumentNullException("options");
            options.Validate();
            if (samples.Count < 1) throw new InvalidOperationException("cannot fit a head without samples");
            return Fit(samples, HeadTrainer.AllRows(samples.Count), samples.Count, options);
        }

        /// <summary>Diagnostics: L-BFGS iterations of the latest fit on this thread... (not thread-safe; tests only).</summary>
        internal static int LastIterations;

        internal static LinearHead Fit(SampleStore samples, int[] rows, int n, HeadOptions options)
        {
            float[] solution;
            return Fit(samples, rows, n, options, null, false, out solution);
        }

        /// <summary>As Fit; start (or null) is a warm start and, when keepSolution, solution is the
        /// solution (else null), both on standardized features in class space: classes x d weights,
        /// then classes biases. The solution is made after the solve (the solver's x itself when every
        /// class is present), so it adds nothing to the solver's peak.</summary>
        internal static LinearHead Fit(SampleStore samples, int[] rows, int n, HeadOptions options, float[] start,
            bool keepSolution, out float[] solution)
        {
            int d = samples.FeatureLength, classes = samples.ClassCount;
            byte[] labels = samples.Labels;
            // Only the standardizer's mean and 1 / std stay alive during the solve (not its sums).
            FeatureStandardizer standardizer = FeatureStandardizer.Fit(samples, rows, n);
            float[] mean = standardizer.Mean, invStd = standardizer.InvStd;
            standardizer = null;

            // Map present classes to 0..k-1.
            bool[] present = new bool[classes];
            for (int i = 0; i < n; i++) present[labels[rows[i]]] = true;
            int[] slot = new int[classes];
            int k = 0;
            for (int c = 0; c < classes; c++) slot[c] = present[c] ? k++ : -1;

            float[] x = null;
            if (k > 1)
            {
                var problem = new Problem(samples, rows, n, mean, invStd, slot, k, 1f / (options.C * n));
                float[] x0 = null;
                if (start != null)
                {
                    x0 = new float[problem.Size];
                    for (int c = 0; c < classes; c++)
                    {
                        if (slot[c] < 0) continue;
                        Array.Copy(start, c * d, x0, slot[c] * d, d);
                        x0[k * d + slot[c]] = start[classes * d + c];
                    }
                }
                x = problem.Solve(options.MaxIterations, options.Tolerance, options.History, x0);
                LastIterations = problem.Iterations;
                problem = null;
            }
            // The head's arrays are made after the solve, whose buffers are garbage by then.
            float[] w = new float[classes * d];
            float[] b = new float[classes];
            if (x != null)
            {
                for (int c = 0; c < classes; c++)
                {
                    if (slot[c] < 0) continue;
                    Array.Copy(x, slot[c] * d, w, c * d, d);
                    b[c] = x[k * d + slot[c]];
                }
            }
            solution = null;
            if (keepSolution)
            {
                if (x != null && k == classes) solution = x;     // the problem is in class space: x is the solution
                else
                {
                    solution = new float[classes * (d + 1)];
                    Array.Copy(w, 0, solution, 0, classes * d);
                    Array.Copy(b, 0, solution, classes * d, classes);
                }
            }
            x = null;
            // k == 1: one class present; all-zero weights make it the only possible answer.
            return LinearHead.Fold(HeadKind.Logistic, classes, samples.Scale, samples.ZeroPoint, mean, invStd,
                w, b, present, 1f, options.QuantizeWeights);
        }

        /// <summary>The mean objective f(x) = (1/n) sum_i CE_i + |W|^2 / (2 C n) over x = [W (k x d), b (k)].</summary>
        sealed class Problem
        {
            readonly SampleStore _samples;
            readonly int[] _rows;
            readonly int _n, _d, _k;
            readonly float[] _mean, _invStd;
            readonly int[] _slot;
            readonly float _penalty;        // 1 / (C n)
            readonly float[] _z, _scores;

            public Problem(SampleStore samples, int[] rows, int n, float[] mean, float[] invStd, int[] slot, int k, float penalty)
            {
                _samples = samples; _rows = rows; _n = n; _d = samples.FeatureLength; _k = k;
                _mean = mean; _invStd = invStd; _slot = slot; _penalty = penalty;
                _z = new float[_d];
                _scores = new float[k];
            }

            public int Size { get { return _k * (_d + 1); } }
            public int Iterations;

            /// <summary>Returns f(x) and writes its gradient into g.</summary>
            public float Evaluate(float[] x, float[] g)
            {
                int d = _d, k = _k, biasAt = k * d;
                float[] z = _z, s = _scores, mean = _mean, invStd = _invStd;
                sbyte[] features = _samples.Features;
                byte[] labels = _samples.Labels;
                Array.Clear(g, 0, g.Length);
                float f = 0f;
                for (int i = 0; i < _n; i++)
                {
                    int row = _rows[i];
                    FeatureStandardizer.Apply(mean, invStd, features, row * d, z);
                    float max = float.MinValue;
                    for (int a = 0; a < k; a++)
                    {
                        float sum = x[biasAt + a];
                        for (int j = 0, at = a * d; j < d; j++, at++) sum += x[at] * z[j];
                        s[a] = sum;
                        if (sum > max) max = sum;
                    }
                    int y = _slot[labels[row]];
                    float shiftedTarget = s[y] - max;
                    float total = 0f;
                    for (int a = 0; a < k; a++) { s[a] = FloatMath.Exp(s[a] - max); total += s[a]; }
                    f += FloatMath.Log(total) - shiftedTarget;     // CE = log sum_a exp(s_a) - s_y
                    float inv = 1f / total;
                    for (int a = 0; a < k; a++)
                    {
                        float p = s[a] * inv - (a == y ? 1f : 0f);
                        g[biasAt + a] += p;
                        for (int j = 0, at = a * d; j < d; j++, at++) g[at] += p * z[j];
                    }
                }
                float invN = 1f / _n;
                float reg = 0f;
                for (int t = 0; t < biasAt; t++)
                {
                    reg += x[t] * x[t];
                    g[t] = g[t] * invN + _penalty * x[t];
                }
                for (int t = biasAt; t < g.Length; t++) g[t] *= invN;
                return f * invN + 0.5f * _penalty * reg;
            }

            public float[] Solve(int maxIterations, float tolerance, int history, float[] start)
            {
                int size = Size;
                float[] x = start != null ? start : new float[size];
                float[] g = new float[size], dir = new float[size];
                // No trial-point buffers of their own: the line search writes the trial x and its
                // gradient into the history slot the new pair will take (the oldest pair, no longer
                // needed once dir is computed), and the accepted pair becomes s = xNew - x, y = gNew - g
                // in place. Solver state: x, g, dir and 2 History vectors of Size floats.
                float[][] sHist = new float[history][], yHist = new float[history][];
                for (int h = 0; h < history; h++) { sHist[h] = new float[size]; yHist[h] = new float[size]; }
                float[] rho = new float[history], alpha = new float[history];
                int stored = 0, newest = -1;

                float f = Evaluate(x, g);
                int stalled = 0;
                for (int iteration = 0; iteration < maxIterations; iteration++)
                {
                    if (MaxAbs(g) <= tolerance) break;

                    // Two-loop recursion: dir = -H g.
                    Array.Copy(g, dir, size);
                    for (int m = 0, h = newest; m < stored; m++, h = (h + history - 1) % history)
                    {
                        alpha[h] = rho[h] * Dot(sHist[h], dir);
                        Axpy(-alpha[h], yHist[h], dir);
                    }
                    float gamma = stored > 0
                        ? Dot(sHist[newest], yHist[newest]) / Dot(yHist[newest], yHist[newest])
                        : 1f / FloatMath.Sqrt(Dot(g, g));     // first step moves x by 1 along -g
                    for (int t = 0; t < size; t++) dir[t] *= gamma;
                    for (int m = 0, h = (newest - stored + 1 + history) % history; m < stored; m++, h = (h + 1) % history)
                    {
                        float beta = rho[h] * Dot(yHist[h], dir);
                        Axpy(alpha[h] - beta, sHist[h], dir);
                    }
                    for (int t = 0; t < size; t++) dir[t] = -dir[t];
                    float slope = Dot(g, dir);
                    if (!(slope < 0f))
                    {
                        // Not a descent direction (rounding): restart from steepest descent.
                        stored = 0;
                        float scale = 1f / FloatMath.Sqrt(Dot(g, g));
                        for (int t = 0; t < size; t++) dir[t] = -g[t] * scale;
                        slope = Dot(g, dir);
                    }

                    // Backtracking line search with the Armijo condition.
                    int next = (newest + 1) % history;
                    float[] xNew = sHist[next], gNew = yHist[next];
                    float step = 1f, fNew = 0f;
                    bool accepted = false;
                    for (int tries = 0; tries < 40; tries++)
                    {
                        for (int t = 0; t < size; t++) xNew[t] = x[t] + step * dir[t];
                        fNew = Evaluate(xNew, gNew);
                        if (fNew <= f + 1e-4f * step * slope) { accepted = true; break; }
                        step *= 0.5f;
                    }
                    Iterations = iteration + 1;
                    if (!accepted) break;   // no decrease representable in float: as good as it gets

                    // Move to the trial point; its slot becomes the new curvature pair s = xNew - x,
                    // y = gNew - g (kept only if s.y > 0).
                    for (int t = 0; t < size; t++)
                    {
                        float xt = xNew[t], gt = gNew[t];
                        xNew[t] = xt - x[t]; x[t] = xt;
                        gNew[t] = gt - g[t]; g[t] = gt;
                    }
                    float sy = Dot(xNew, gNew);
                    if (sy > 0f)
                    {
                        rho[next] = 1f / sy;
                        newest = next;
                        if (stored < history) stored++;
                    }
                    else stored = 0;        // the slot held the oldest pair: history is broken, restart it
                    // Float rounding puts a floor under the gradient; stop when the loss stalls at
                    // a few ulps for several iterations instead of running to MaxIterations.
                    float magnitude = f < 1f ? 1f : f;
                    stalled = f - fNew <= 4e-7f * magnitude ? stalled + 1 : 0;
                    f = fNew;
                    if (stalled >= 5) break;
                }
                return x;
            }

            static float Dot(float[] a, float[] b)
            {
                float s = 0f;
                for (int t = 0; t < a.Length; t++) s += a[t] * b[t];
                return s;
            }

            static void Axpy(float a, float[] x, float[] y)
            {
                for (int t = 0; t < x.Length; t++) y[t] += a * x[t];
            }

            static float MaxAbs(float[] v)
            {
                float m = 0f;
                for (int t = 0; t < v.Length; t++)
                {
                    float a = v[t] < 0f ? -v[t] : v[t];
                    if (a > m) m = a;
                }
                return m;
            }
        }
    }
}

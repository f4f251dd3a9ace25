using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.Optimization;
using MicroT.Runtime.Classifier;

namespace MicroT.Runtime.Tests.Classifier;

/// <summary>
/// Independent double-precision reference classifiers (MathNet.Numerics) on the real-valued
/// features x = scale (q - zero point), standardized with population statistics as
/// scikit-learn's StandardScaler does. Shares no code with the runtime.
/// </summary>
public sealed class DoubleReference
{
    readonly double[] _mean, _std;
    readonly Matrix<double> _w;     // classes x d, on standardized features
    readonly double[] _b;
    readonly bool[] _present;

    DoubleReference(double[] mean, double[] std, Matrix<double> w, double[] b, bool[] present)
    { _mean = mean; _std = std; _w = w; _b = b; _present = present; }

    static (double[][] x, int[] y) Real(SampleStore s)
    {
        var x = new double[s.Count][];
        var y = new int[s.Count];
        for (int i = 0; i < s.Count; i++)
        {
            x[i] = new double[s.FeatureLength];
            for (int j = 0; j < s.FeatureLength; j++)
                x[i][j] = (double)s.Scale * (s.Features[i * s.FeatureLength + j] - s.ZeroPoint);
            y[i] = s.GetLabel(i);
        }
        return (x, y);
    }

    static (double[] mean, double[] std, Matrix<double> z) Standardize(double[][] x)
    {
        int n = x.Length, d = x[0].Length;
        var mean = new double[d];
        var std = new double[d];
        for (int j = 0; j < d; j++)
        {
            mean[j] = x.Average(r => r[j]);
            std[j] = Math.Sqrt(x.Average(r => (r[j] - mean[j]) * (r[j] - mean[j])));
            if (std[j] < 1e-12) std[j] = 1;     // StandardScaler: constant feature -> scale 1 -> z = 0
        }
        var z = Matrix<double>.Build.Dense(n, d, (i, j) => (x[i][j] - mean[j]) / std[j]);
        return (mean, std, z);
    }

    /// <summary>Multinomial logistic regression, minimizing sum CE + |W|^2 / (2C), intercept not penalized.</summary>
    public static DoubleReference Logistic(SampleStore s, double c)
    {
        var (x, y) = Real(s);
        var (mean, std, z) = Standardize(x);
        int n = x.Length, d = z.ColumnCount, k = s.ClassCount;
        var present = new bool[k];
        foreach (int label in y) present[label] = true;
        int[] classes = Enumerable.Range(0, k).Where(cl => present[cl]).ToArray();
        int kp = classes.Length;
        int[] slot = y.Select(label => Array.IndexOf(classes, label)).ToArray();

        (double, Vector<double>) Objective(Vector<double> theta)
        {
            var w = Matrix<double>.Build.Dense(kp, d, (a, j) => theta[a * d + j]);
            var scores = z * w.Transpose();         // n x kp
            var grad = Vector<double>.Build.Dense(kp * (d + 1));
            var dS = Matrix<double>.Build.Dense(n, kp);
            double f = 0;
            for (int i = 0; i < n; i++)
            {
                double max = double.MinValue;
                for (int a = 0; a < kp; a++) { scores[i, a] += theta[kp * d + a]; max = Math.Max(max, scores[i, a]); }
                double sum = 0;
                for (int a = 0; a < kp; a++) sum += Math.Exp(scores[i, a] - max);
                f += max + Math.Log(sum) - scores[i, slot[i]];
                for (int a = 0; a < kp; a++) dS[i, a] = Math.Exp(scores[i, a] - max) / sum - (a == slot[i] ? 1 : 0);
            }
            var gw = dS.Transpose() * z + w / c;
            for (int a = 0; a < kp; a++)
            {
                for (int j = 0; j < d; j++) grad[a * d + j] = gw[a, j];
                grad[kp * d + a] = dS.Column(a).Sum();
            }
            f += w.Enumerate().Sum(v => v * v) / (2 * c);
            return (f, grad);
        }

        var wFull = Matrix<double>.Build.Dense(k, d);
        var bFull = new double[k];
        if (kp > 1)
        {
            var minimizer = new LimitedMemoryBfgsMinimizer(1e-9, 1e-14, 1e-14, 10, 20000);
            var result = minimizer.FindMinimum(ObjectiveFunction.Gradient(Objective), Vector<double>.Build.Dense(kp * (d + 1)));
            var theta = result.MinimizingPoint;
            for (int a = 0; a < kp; a++)
            {
                for (int j = 0; j < d; j++) wFull[classes[a], j] = theta[a * d + j];
                bFull[classes[a]] = theta[kp * d + a];
            }
        }
        return new DoubleReference(mean, std, wFull, bFull, present);
    }

    /// <summary>Ridge on one-vs-rest targets -1/+1 with intercept: (Zc'Zc + lambda I) W = Zc'Yc.</summary>
    public static DoubleReference Ridge(SampleStore s, double lambda)
    {
        var (x, y) = Real(s);
        var (mean, std, z) = Standardize(x);
        int n = x.Length, d = z.ColumnCount, k = s.ClassCount;
        var present = new bool[k];
        foreach (int label in y) present[label] = true;
        var t = Matrix<double>.Build.Dense(n, k, (i, cl) => y[i] == cl ? 1.0 : -1.0);
        var tMean = Enumerable.Range(0, k).Select(cl => t.Column(cl).Average()).ToArray();
        var tc = Matrix<double>.Build.Dense(n, k, (i, cl) => t[i, cl] - tMean[cl]);
        var a = z.TransposeThisAndMultiply(z) + Matrix<double>.Build.DenseIdentity(d) * lambda;
        var w = a.Cholesky().Solve(z.TransposeThisAndMultiply(tc)).Transpose();   // k x d
        return new DoubleReference(mean, std, w, tMean, present);
    }

    public int Predict(sbyte[] q, float scale, int zeroPoint)
    {
        int best = -1;
        double bestScore = double.NegativeInfinity;
        for (int cl = 0; cl < _b.Length; cl++)
        {
            if (!_present[cl]) continue;
            double s = _b[cl];
            for (int j = 0; j < _mean.Length; j++)
                s += _w[cl, j] * ((double)scale * (q[j] - zeroPoint) - _mean[j]) / _std[j];
            if (s > bestScore) { bestScore = s; best = cl; }
        }
        return best;
    }
}

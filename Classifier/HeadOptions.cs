using System;

namespace MicroT.Runtime.Classifier
{
    /// <summary>Which form of the same ridge solution a fit computes.</summary>
    public enum RidgeSolver
    {
        /// <summary>The dual form when the fit has no more samples than features (n &lt;= d), else the primal.</summary>
        Auto = 0,
        /// <summary>The d x d system of the features (uses the store's Gram when it keeps one).</summary>
        Primal = 1,
        /// <summary>The n x n kernel system of the samples (never uses the store's Gram).</summary>
        Dual = 2,
    }

    /// <summary>How to train a head. Default: ridge in closed form with its L2 strength chosen
    /// from the samples (generalized cross-validation); logistic regression (C = 1, the MicroT
    /// reference) is the option with an iterative, costlier fit.</summary>
    public sealed class HeadOptions
    {
        float _lambda;

        /// <summary>Defaults: ridge with AutoLambda; logistic C = 1, 500 iterations, tolerance 1e-5, history 6; int8 weights.</summary>
        public HeadOptions()
        {
            Kind = HeadKind.Ridge;
            C = 1f;
            _lambda = 1f;
            AutoLambda = true;
            MaxIterations = 500;
            Tolerance = 1e-5f;
            History = 6;
            QuantizeWeights = true;
        }

        /// <summary>Ridge classifier (default) or logistic regression.</summary>
        public HeadKind Kind { get; set; }

        /// <summary>Logistic: inverse L2 strength, as scikit-learn's C (minimizes
        /// C * sum of cross-entropies + |W|^2 / 2; the intercept is not penalized).</summary>
        public float C { get; set; }

        /// <summary>Ridge: a fixed L2 strength (minimizes |Y - Z W - b|^2 + Lambda |W|^2 on standardized Z).
        /// 0 is allowed when the standardized Gram matrix is non-singular. Setting it turns AutoLambda off.</summary>
        public float Lambda
        {
            get { return _lambda; }
            set { _lambda = value; AutoLambda = false; }
        }

        /// <summary>Ridge: choose the L2 strength from the samples (default true): the candidate
        /// n x 10^(k/2 - 2), k = 0..8, with the least generalized cross-validation error, searched
        /// downhill from k = 2, 3 (typically 3 or 4 candidates, at most 9). False: use Lambda.</summary>
        public bool AutoLambda { get; set; }

        /// <summary>Ridge: which form solves it (default Auto: dual when samples &lt;= features, else primal).
        /// Both give the same head up to float rounding; they differ in memory and time.</summary>
        public RidgeSolver Solver { get; set; }

        /// <summary>Store the trained head's weights as int8 with one scale per class (default true:
        /// a quarter of the float weights' memory, an integer dot product per class when scoring);
        /// false keeps float weights.</summary>
        public bool QuantizeWeights { get; set; }

        /// <summary>Logistic: most L-BFGS iterations.</summary>
        public int MaxIterations { get; set; }

        /// <summary>Logistic: stop when every gradient component of the mean loss is at most this.</summary>
        public float Tolerance { get; set; }

        /// <summary>Logistic: L-BFGS history pairs. Solver memory is (2 History + 3) x ClassCount x
        /// (FeatureLength + 1) floats (x, gradient, direction and the pairs; the line search's trial
        /// point lives in the pair slot it replaces).</summary>
        public int History { get; set; }

        internal void Validate()
        {
            if (Kind != HeadKind.Logistic && Kind != HeadKind.Ridge) throw new ArgumentOutOfRangeException("Kind", "is not a known head kind");
            if (Kind == HeadKind.Logistic)
            {
                if (!(C > 0f) || !FloatMath.IsFinite(C)) throw new ArgumentOutOfRangeException("C", "must be positive and finite");
                if (MaxIterations < 1) throw new ArgumentOutOfRangeException("MaxIterations", "must be at least 1");
                if (!(Tolerance >= 0f) || !FloatMath.IsFinite(Tolerance)) throw new ArgumentOutOfRangeException("Tolerance", "must be zero or positive and finite");
                if (History < 1 || History > 64) throw new ArgumentOutOfRangeException("History", "must be in 1..64");
            }
            else if (Solver != RidgeSolver.Auto && Solver != RidgeSolver.Primal && Solver != RidgeSolver.Dual)
                throw new ArgumentOutOfRangeException("Solver", "is not a known ridge solver");
            else if (!AutoLambda && (!(Lambda >= 0f) || !FloatMath.IsFinite(Lambda))) throw new ArgumentOutOfRangeException("Lambda", "must be zero or positive and finite");
        }
    }

    /// <summary>Trains a head of the kind the options name.</summary>
    public static class HeadTrainer
    {
        /// <summary>Fits a head on every sample of the store.</summary>
        public static LinearHead Fit(SampleStore samples, HeadOptions options)
        {
            if (samples == null) throw new ArgumentNullException("samples");
            if (options != null && options.Kind == HeadKind.Ridge)
            {
                options.Validate();
                if (samples.Count < 1) throw new InvalidOperationException("cannot fit a head without samples");
                return RidgeClassifier.Fit(samples, null, samples.Count, options);   // every sample: the store's Gram applies
            }
            return Fit(samples, AllRows(samples.Count), samples.Count, options);
        }

        /// <summary>Fits a head on the first rowCount sample indices of rows.</summary>
        internal static LinearHead Fit(SampleStore samples, int[] rows, int rowCount, HeadOptions options)
        {
            if (options == null) throw new ArgumentNullException("options");
            options.Validate();
            if (rowCount < 1) throw new InvalidOperationException("cannot fit a head without samples");
            if (options.Kind == HeadKind.Ridge) return RidgeClassifier.Fit(samples, rows, rowCount, options);
            return LogisticRegression.Fit(samples, rows, rowCount, options);
        }

        internal static int[] AllRows(int count)
        {
            int[] rows = new int[count];
            for (int i = 0; i < count; i++) rows[i] = i;
            return rows;
        }
    }
}

namespace MicroT.Runtime.Classifier
{
    /// <summary>
    /// exp, log and sqrt in single precision. nanoFramework's mscorlib has no System.Math, the
    /// separate Math package is double-only, and doubles are emulated in software on the ESP32,
    /// so the classifiers use these. Relative error is below 1e-6 over the whole float range
    /// (checked against double precision in the tests).
    /// </summary>
    public static class FloatMath
    {
        const float Ln2Hi = 0.693145751953125f;       // ln 2 split in two so x - k ln2 is exact
        const float Ln2Lo = 1.428606765330187e-06f;
        const float Ln2 = 0.6931471805599453f;
        const float InvLn2 = 1.4426950408889634f;

        /// <summary>e^x. Returns 0 below about -87.3 (no denormals) and +infinity above 88.7.</summary>
        public static float Exp(float x)
        {
            if (float.IsNaN(x)) return x;
            if (x > 88.72f) return float.PositiveInfinity;
            if (x < -87.33f) return 0f;
            // x = k ln2 + r with |r| <= ln2 / 2, e^x = 2^k e^r.
            float t = x * InvLn2;
            int k = (int)(t < 0 ? t - 0.5f : t + 0.5f);
            float r = (x - k * Ln2Hi) - k * Ln2Lo;
            // Taylor polynomial of degree 7: truncation error < 6e-9 on |r| <= 0.347.
            float p = 1f + r * (1f + r * (0.5f + r * (1f / 6f + r * (1f / 24f + r * (1f / 120f
                + r * (1f / 720f + r * (1f / 5040f)))))));
            if (k > 127) return p * 2f * PowerOfTwo(k - 1);   // 2^128 itself is not a float
            return p * PowerOfTwo(k);
        }

        /// <summary>Natural logarithm. NaN for negative or NaN input, -infinity for 0.</summary>
        public static float Log(float x)
        {
            if (float.IsNaN(x) || x < 0f) return float.NaN;
            if (x == 0f) return float.NegativeInfinity;
            if (x > float.MaxValue) return x;           // +infinity
            int e = 0;
            float m = x;
            // Bring m into [sqrt(1/2), sqrt(2)) by powers of two, large steps first.
            while (m >= 65536f) { m *= 1f / 65536f; e += 16; }
            while (m < 1f / 65536f) { m *= 65536f; e -= 16; }
            while (m >= 1.41421356f) { m *= 0.5f; e++; }
            while (m < 0.70710678f) { m *= 2f; e--; }
            // log m = 2 atanh(s), s = (m - 1) / (m + 1), |s| <= 0.1716: five odd terms suffice.
            float s = (m - 1f) / (m + 1f);
            float s2 = s * s;
            float series = s * (2f + s2 * (2f / 3f + s2 * (2f / 5f + s2 * (2f / 7f + s2 * (2f / 9f)))));
            return e * Ln2 + series;
        }

        /// <summary>Square root. NaN for negative or NaN input.</summary>
        public static float Sqrt(float x)
        {
            if (float.IsNaN(x) || x < 0f) return float.NaN;
            if (x == 0f || x > float.MaxValue) return x;
            // x = m 4^e with m in [1, 4): sqrt(x) = sqrt(m) 2^e.
            int e = 0;
            float m = x;
            while (m >= 65536f) { m *= 1f / 65536f; e += 8; }
            while (m < 1f / 65536f) { m *= 65536f; e -= 8; }
            while (m >= 4f) { m *= 0.25f; e++; }
            while (m < 1f) { m *= 4f; e--; }
            float y = 0.5f + 0.5f * m;                  // within 25% of sqrt(m) on [1, 4)
            y = 0.5f * (y + m / y);
            y = 0.5f * (y + m / y);
            y = 0.5f * (y + m / y);
            y = 0.5f * (y + m / y);
            return y * PowerOfTwo(e);
        }

        /// <summary>True when x is neither NaN nor infinite.</summary>
        public static bool IsFinite(float x)
        {
            return x - x == 0f;                         // NaN - NaN and inf - inf are NaN
        }

        /// <summary>2^k for k in [-149, 127] by repeated squaring (at most 8 multiplies).</summary>
        static float PowerOfTwo(int k)
        {
            float result = 1f;
            float b = k < 0 ? 0.5f : 2f;
            int n = k < 0 ? -k : k;
            while (n != 0)
            {
                if ((n & 1) != 0) result *= b;
                b *= b;
                n >>= 1;
            }
            return result;
        }
    }
}

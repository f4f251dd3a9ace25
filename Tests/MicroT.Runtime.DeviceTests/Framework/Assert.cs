using System;

namespace MicroT.Runtime.DeviceTests.Framework
{
    /// <summary>Thrown by <see cref="Assert"/> when a check fails.</summary>
    public sealed class AssertFailedException : Exception
    {
        public AssertFailedException(string message) : base(message) { }
    }

    /// <summary>
    /// Checks in the spirit of nanoFramework.TestFramework's Assert (same names where they
    /// overlap), written without generics. Every failure message says what was expected,
    /// what was found and where.
    /// </summary>
    public static class Assert
    {
        public static void Fail(string message)
        {
            throw new AssertFailedException(message);
        }

        public static void IsTrue(bool condition, string message)
        {
            if (!condition) Fail(message);
        }

        public static void AreEqual(int expected, int actual, string what)
        {
            if (expected != actual) Fail(what + ": expected " + expected.ToString() + ", got " + actual.ToString());
        }

        public static void AreEqual(long expected, long actual, string what)
        {
            if (expected != actual) Fail(what + ": expected " + expected.ToString() + ", got " + actual.ToString());
        }

        public static void AreEqual(string expected, string actual, string what)
        {
            if (expected != actual) Fail(what + ": expected '" + expected + "', got '" + actual + "'");
        }

        /// <summary>|expected - actual| &lt;= tolerance.</summary>
        public static void AreClose(float expected, float actual, float tolerance, string what)
        {
            float d = expected - actual;
            if (d < 0) d = -d;
            if (!(d <= tolerance))
                Fail(what + ": expected " + expected.ToString() + " +- " + tolerance.ToString() + ", got " + actual.ToString());
        }

        /// <summary>actual[actualOffset + i] == expected[i] for every i, naming the first difference.</summary>
        public static void BytesEqual(sbyte[] expected, sbyte[] actual, int actualOffset, string what)
        {
            if (expected == null || actual == null) Fail(what + ": null array");
            if (actualOffset < 0 || actual.Length - actualOffset < expected.Length)
                Fail(what + ": " + expected.Length.ToString() + " values expected from offset " + actualOffset.ToString() +
                     ", array holds " + actual.Length.ToString());
            for (int i = 0; i < expected.Length; i++)
            {
                if (expected[i] != actual[actualOffset + i])
                    Fail(what + ": element " + i.ToString() + " expected " + expected[i].ToString() + ", got " +
                         actual[actualOffset + i].ToString());
            }
        }

        public static void BytesEqual(byte[] expected, byte[] actual, string what)
        {
            if (expected == null || actual == null) Fail(what + ": null array");
            if (expected.Length != actual.Length)
                Fail(what + ": length expected " + expected.Length.ToString() + ", got " + actual.Length.ToString());
            for (int i = 0; i < expected.Length; i++)
            {
                if (expected[i] != actual[i])
                    Fail(what + ": byte " + i.ToString() + " expected " + expected[i].ToString() + ", got " + actual[i].ToString());
            }
        }

        /// <summary>Every element of actual[from, from + count) equals value (guard bytes around an output).</summary>
        public static void AllEqual(sbyte value, sbyte[] actual, int from, int count, string what)
        {
            for (int i = from; i < from + count; i++)
            {
                if (actual[i] != value)
                    Fail(what + ": element " + i.ToString() + " expected " + value.ToString() + ", got " + actual[i].ToString());
            }
        }

        /// <summary>
        /// The body throws an exception of exactly <paramref name="exceptionType"/> (or a subclass);
        /// returns it so the caller can check its message.
        /// </summary>
        public static Exception ThrowsException(Type exceptionType, TestMethod body, string what)
        {
            try
            {
                body();
            }
            catch (Exception e)
            {
                if (IsOrDerives(e.GetType(), exceptionType)) return e;
                Fail(what + ": expected " + exceptionType.FullName + ", got " + e.GetType().FullName + ": " + e.Message);
            }
            Fail(what + ": expected " + exceptionType.FullName + ", nothing was thrown");
            return null;
        }

        /// <summary>The text contains the fragment (a message names the field at fault).</summary>
        public static void Contains(string fragment, string text, string what)
        {
            if (text == null || text.IndexOf(fragment) < 0)
                Fail(what + ": expected text containing '" + fragment + "', got '" + text + "'");
        }

        static bool IsOrDerives(Type t, Type baseType)
        {
            for (; t != null; t = t.BaseType)
            {
                if (t == baseType) return true;
            }
            return false;
        }
    }
}

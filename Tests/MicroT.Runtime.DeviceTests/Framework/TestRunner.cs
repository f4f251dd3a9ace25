using System;
using System.Collections;

namespace MicroT.Runtime.DeviceTests.Framework
{
    /// <summary>A test body: returns normally to pass, throws to fail.</summary>
    public delegate void TestMethod();

    /// <summary>Where the runner writes its lines (Console on the device and on the host).</summary>
    public delegate void LineWriter(string line);

    /// <summary>
    /// The smallest test runner that runs on nanoFramework 1.x: no generics, no reflection
    /// (test classes register their methods explicitly, which also fixes the order), one
    /// delegate per test. It prints the nanoFramework test launcher's line format so the
    /// serial output reads like nanoFramework.TestFramework's:
    /// <c>Test passed,Class.Method,ticks</c> / <c>Test failed,Class.Method,message</c>,
    /// then <c>N passed, N failed</c>.
    /// </summary>
    public sealed class TestRunner
    {
        readonly ArrayList _names = new ArrayList();
        readonly ArrayList _bodies = new ArrayList();
        readonly LineWriter _write;

        public TestRunner(LineWriter write)
        {
            if (write == null) throw new ArgumentNullException("write");
            _write = write;
        }

        /// <summary>Tests that returned normally in the last <see cref="RunAll"/>.</summary>
        public int Passed { get; private set; }

        /// <summary>Tests that threw in the last <see cref="RunAll"/>.</summary>
        public int Failed { get; private set; }

        /// <summary>Registered tests.</summary>
        public int Count { get { return _names.Count; } }

        public void Add(string className, string methodName, TestMethod body)
        {
            if (body == null) throw new ArgumentNullException("body");
            _names.Add(className + "." + methodName);
            _bodies.Add(body);
        }

        /// <summary>Runs every registered test in order, one line each, then the summary line.</summary>
        public void RunAll()
        {
            Passed = 0;
            Failed = 0;
            for (int i = 0; i < _names.Count; i++)
            {
                string name = (string)_names[i];
                TestMethod body = (TestMethod)_bodies[i];
                long start = DateTime.UtcNow.Ticks;
                string failure = null;
                try
                {
                    body();
                }
                catch (Exception e)
                {
                    failure = Describe(e);
                }
                long ticks = DateTime.UtcNow.Ticks - start;
                if (failure == null)
                {
                    Passed++;
                    _write("Test passed," + name + "," + ticks.ToString());
                }
                else
                {
                    Failed++;
                    _write("Test failed," + name + "," + failure);
                }
            }
            _write(Passed.ToString() + " passed, " + Failed.ToString() + " failed");
        }

        /// <summary>One line: the exception type (unless it is an assertion) and its message,
        /// with line breaks and commas flattened so the launcher format stays parseable.</summary>
        static string Describe(Exception e)
        {
            string text = e is AssertFailedException ? e.Message : e.GetType().FullName + ": " + e.Message;
            char[] chars = text.ToCharArray();
            for (int i = 0; i < chars.Length; i++)
            {
                if (chars[i] == '\n' || chars[i] == '\r') chars[i] = ' ';
                else if (chars[i] == ',') chars[i] = ';';
            }
            return new string(chars);
        }
    }
}

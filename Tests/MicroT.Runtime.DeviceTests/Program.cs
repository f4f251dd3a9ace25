using System;
using System.Threading;

namespace MicroT.Runtime.DeviceTests
{
    /// <summary>
    /// Device entry point: runs the suite once and prints, over the serial console (Visual Studio's
    /// Output window or any serial monitor at 115200 baud), "Ready.", one line per test, the
    /// "N passed, N failed" summary and "Done.", then idles. (The host build has its own entry
    /// point in Host/ that returns the failure count as exit code.)
    /// </summary>
    public static class Program
    {
        public static void Main()
        {
            Console.WriteLine("Ready.");
            DeviceTestSuite.Create(WriteLine).RunAll();
            Console.WriteLine("Done.");
            Thread.Sleep(Timeout.Infinite);
        }

        static void WriteLine(string line)
        {
            Console.WriteLine(line);
        }
    }
}

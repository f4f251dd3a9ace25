using System;
using System.Threading;

namespace MicroT.Runtime.DeviceTests
{
    /// <summary>
    /// Device entry point: runs the suite once and prints with Console.WriteLine (nanoFramework sends
    /// it over the USB serial link to Visual Studio's Output window), "Ready.", one line per test, the
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

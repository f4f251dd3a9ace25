using System;
using System.Threading;
using MicroT.Runtime.DeviceTests.Framework;

namespace MicroT.Runtime.DeviceTests.Zoo
{
    /// <summary>
    /// Device entry point of the zoo device tests (the default zoo model on real frames): a
    /// program of its own beside the main device test program because the zoo model and its
    /// training take nearly all of a plain ESP32's heap by themselves (it passes at 100k; README,
    /// memory section). Prints like the main program.
    /// </summary>
    public static class ZooProgram
    {
        public static void Main()
        {
            Console.WriteLine("Ready.");
            Create(WriteLine).RunAll();
            Console.WriteLine("Done.");
            Thread.Sleep(Timeout.Infinite);
        }

        /// <summary>The zoo suite: the same list on the device and in the host run.</summary>
        public static TestRunner Create(LineWriter write)
        {
            var r = new TestRunner(write);
            ZooModelTests.Register(r);
            return r;
        }

        static void WriteLine(string line)
        {
            Console.WriteLine(line);
        }
    }
}

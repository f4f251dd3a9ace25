using System;
using System.Threading;

namespace MicroT.Sample
{
    /// <summary>ESP32 entry point: runs the sample once, printing with Console.WriteLine (Visual Studio's Output window, over the USB serial link), then idles.</summary>
    public static class Program
    {
        public static void Main()
        {
            Console.WriteLine("MicroT.Runtime sample");
            SampleApp.Run(WriteLine);
            Console.WriteLine("Done.");
            Thread.Sleep(Timeout.Infinite);
        }

        static void WriteLine(string line)
        {
            Console.WriteLine(line);
        }
    }
}

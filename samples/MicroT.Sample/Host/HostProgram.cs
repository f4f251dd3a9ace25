using System;

namespace MicroT.Sample
{
    /// <summary>
    /// Host entry point: the report the ESP32 prints (with host timings). The test command
    /// compares it line by line with the device build's report on nanoCLR.
    /// </summary>
    public static class HostProgram
    {
        public static void Main()
        {
            Console.WriteLine("MicroT.Runtime sample");
            SampleApp.Run(Console.WriteLine);
            Console.WriteLine("Done.");
        }
    }
}

using System;

namespace MicroT.Runtime.DeviceTests.Zoo
{
    /// <summary>Host entry point: same suite and output as the device; exit code 1 if any test failed.</summary>
    public static class ZooHostProgram
    {
        public static int Main()
        {
            var runner = ZooProgram.Create(Console.WriteLine);
            runner.RunAll();
            return runner.Failed == 0 ? 0 : 1;
        }
    }
}

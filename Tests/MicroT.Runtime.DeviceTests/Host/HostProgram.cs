using System;

namespace MicroT.Runtime.DeviceTests
{
    /// <summary>Host entry point: same suite and output as the device; exit code 1 if any test failed.</summary>
    public static class HostProgram
    {
        public static int Main()
        {
            var runner = DeviceTestSuite.Create(Console.WriteLine);
            runner.RunAll();
            return runner.Failed == 0 ? 0 : 1;
        }
    }
}

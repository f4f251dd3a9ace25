using MicroT.Runtime.DeviceTests.Cases;
using MicroT.Runtime.DeviceTests.Framework;

namespace MicroT.Runtime.DeviceTests
{
    /// <summary>The device test suite: the same list on the ESP32, in the host run and in the gate build.</summary>
    public static class DeviceTestSuite
    {
        /// <summary>Registers every device test in a runner writing to <paramref name="write"/>.</summary>
        public static TestRunner Create(LineWriter write)
        {
            var r = new TestRunner(write);
            KernelTests.Register(r);
            ModelTests.Register(r);
            StagedInferenceTests.Register(r);
            HeadTests.Register(r);
            return r;
        }
    }
}

using System;
using MicroT.Runtime.Models;
using MicroT.Sample.Generated;

namespace MicroT.Sample
{
    /// <summary>
    /// Host entry point: the report the ESP32 prints (with host timings), then what loading the
    /// model allocates (.NET's per-thread allocation counter, in a process that has already
    /// loaded it once), as an estimate of the device heap the model needs (nanoFramework's
    /// object headers differ a little from .NET's).
    /// </summary>
    public static class HostProgram
    {
        public static void Main()
        {
            SampleApp.Run(Console.WriteLine);
            byte[] file = SampleModel.Bytes();
            long a0 = GC.GetAllocatedBytesForCurrentThread();
            Model model = Model.Load(file);
            long a1 = GC.GetAllocatedBytesForCurrentThread();
            var interpreter = new Interpreter(model);
            long a2 = GC.GetAllocatedBytesForCurrentThread();
            // Allocated bytes bound what stays from above (part of it is short-lived garbage).
            Console.WriteLine("host estimate of device heap: model file " + file.Length + " B (garbage after load); Model.Load allocates "
                + (a1 - a0) + " B (weights " + model.Weights.Length + " B); new Interpreter allocates " + (a2 - a1)
                + " B (arena " + interpreter.Arena.Length + " B)");
        }
    }
}

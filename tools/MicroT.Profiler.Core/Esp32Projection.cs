namespace MicroT.Profiler;

/// <summary>
/// An ESP32 ESTIMATE, not a measurement: time = weighted cost x the time of one simple IL
/// instruction on the nanoCLR; energy = time x board power. Both constants are starting
/// estimates to be replaced by a board measurement (time a known workload with
/// nanoFramework.Hardware.Esp32 HighResTimer, divide by its weighted cost from this tool).
/// </summary>
public static class Esp32Projection
{
    /// <summary>
    /// Microseconds per simple IL instruction on the ESP32 nanoCLR build at 240 MHz: about 0.4 us
    /// (~100 CPU cycles per interpreted instruction: dispatch, 12-byte evaluation-stack slots, type
    /// checks). A starting estimate, not measured here; replace it with a board measurement.
    /// </summary>
    public const double MicrosecondsPerSimpleInstruction = 0.4;

    /// <summary>
    /// Board power in milliwatts while the CPU runs the interpreter: ESP32 at 240 MHz, radio off,
    /// about 50 mA at 3.3 V (Espressif ESP32 datasheet, "CPU running, modem sleep" 240 MHz range).
    /// </summary>
    public const double BoardPowerMilliwatts = 165.0;

    /// <summary>Estimated time in milliseconds for a weighted cost.</summary>
    public static double Milliseconds(long weightedCost) =>
        weightedCost * MicrosecondsPerSimpleInstruction / 1000.0;

    /// <summary>Estimated energy in millijoules for a weighted cost (mW x ms / 1000 = mJ).</summary>
    public static double Millijoules(long weightedCost) =>
        BoardPowerMilliwatts * Milliseconds(weightedCost) / 1000.0;
}

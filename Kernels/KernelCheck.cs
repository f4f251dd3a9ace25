using System;

namespace MicroT.Runtime.Kernels
{
    /// <summary>
    /// Argument checks shared by the kernels: run once per call (outside every loop) so that bad
    /// shapes or buffers fail with a message naming what is wrong, never with IndexOutOfRange.
    /// </summary>
    internal static class KernelCheck
    {
        public static void Buffer(sbyte[] buffer, int offset, int length, string name)
        {
            if (buffer == null) throw new ArgumentNullException(name);
            if (offset < 0 || offset > buffer.Length - length)
                throw new ArgumentOutOfRangeException(name, name + " needs " + length + " bytes at offset " + offset
                    + " but has " + buffer.Length);
        }

        public static void Scratch(long[] scratch, int needed)
        {
            if (needed == 0) return;
            if (scratch == null || scratch.Length < needed)
                throw new ArgumentException("scratch needs " + needed + " longs (ScratchSize) but has "
                    + (scratch == null ? 0 : scratch.Length), "scratch");
        }

        public static void Positive(int value, string name)
        {
            if (value < 1) throw new ArgumentOutOfRangeException(name, name + " must be >= 1, got " + value);
        }

        public static void NonNegative(int value, string name)
        {
            if (value < 0) throw new ArgumentOutOfRangeException(name, name + " must be >= 0, got " + value);
        }

        public static void ClampRange(int min, int max)
        {
            if (min < -128 || max > 127 || min > max)
                throw new ArgumentOutOfRangeException("ActivationMin", "activation clamp must satisfy -128 <= min <= max <= 127, got "
                    + min + ".." + max);
        }

        /// <summary>Per-channel requantization arrays: present, long enough, shifts in -31..30.</summary>
        public static void Requant(int[] multiplier, sbyte[] shift, int channels)
        {
            if (multiplier == null) throw new ArgumentNullException("OutputMultiplier");
            if (shift == null) throw new ArgumentNullException("OutputShift");
            if (multiplier.Length < channels || shift.Length < channels)
                throw new ArgumentException("OutputMultiplier and OutputShift need one entry per output channel ("
                    + channels + ")", "OutputMultiplier");
            for (int c = 0; c < channels; c++)
            {
                if (multiplier[c] < 0)
                    throw new ArgumentOutOfRangeException("OutputMultiplier", "multiplier of channel " + c + " is negative");
                if (shift[c] < -31 || shift[c] > 30)
                    throw new ArgumentOutOfRangeException("OutputShift", "shift of channel " + c + " must be in -31..30, got " + shift[c]);
            }
        }

        public static void Shift(int shift, string name)
        {
            if (shift < -31 || shift > 30)
                throw new ArgumentOutOfRangeException(name, name + " must be in -31..30, got " + shift);
        }

        public static void Bias(int[] bias, int channels)
        {
            if (bias != null && bias.Length < channels)
                throw new ArgumentException("Bias needs one entry per output channel (" + channels + ") or null", "Bias");
        }

        public static void Weights(sbyte[] weights, int offset, int count)
        {
            if (weights == null) throw new ArgumentNullException("Weights");
            if (offset < 0 || offset > weights.Length - count)
                throw new ArgumentOutOfRangeException("Weights", "Weights need " + count + " values at WeightsOffset " + offset
                    + " but hold " + weights.Length);
        }
    }
}

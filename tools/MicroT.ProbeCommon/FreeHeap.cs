using System;

namespace MicroT.ProbeCommon
{
    /// <summary>
    /// The device probes' free-heap count (linked into tools/MicroT.MemoryProbe and
    /// tools/MicroT.TrainingProbe, compiled against nanoFramework's mscorlib): how many bytes a
    /// greedy allocation finds, everything released again.
    /// </summary>
    public static class FreeHeap
    {
        sealed class Block
        {
            public Block Next;
            public byte[] Data;
        }

        /// <summary>
        /// Allocates byte arrays of <paramref name="steps"/>[0] bytes until the heap refuses one,
        /// then of steps[1] bytes, and so on (large steps first, so fragments are still counted by
        /// the small ones); returns the bytes allocated (array headers and the list nodes not
        /// counted) after dropping them all.
        /// </summary>
        public static int Measure(int[] steps)
        {
            if (steps == null || steps.Length == 0) throw new ArgumentException("steps: at least one array size is needed");
            Block head = null;
            int total = 0;
            for (int i = 0; i < steps.Length; i++)
            {
                int size = steps[i];
                if (size <= 0) throw new ArgumentException("steps[" + i.ToString() + "] is " + size.ToString() + "; array sizes must be positive");
                try
                {
                    while (true)
                    {
                        Block b = new Block();
                        b.Data = new byte[size];
                        b.Next = head;
                        head = b;
                        total += size;
                    }
                }
                catch (OutOfMemoryException) { }
            }
            head = null;
            return total;
        }
    }
}

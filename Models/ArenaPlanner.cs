namespace MicroT.Runtime.Models
{
    /// <summary>
    /// Places every tensor in one arena, once at load (TFLite Micro's greedy planner): a tensor
    /// lives from the operator that writes it (the input: from before operator 0) to the last
    /// operator that reads it; the part and full features live to the end so they can be read
    /// after a run. Largest tensors are placed first, each at the lowest offset that does not
    /// overlap a placed tensor alive at the same time. A tensor written before the split and
    /// read after it (the split activation) is therefore alive during the whole part run and
    /// the rest can resume from it.
    /// </summary>
    public static class ArenaPlanner
    {
        /// <summary>Offsets are multiples of this, so a kernel may read 4 bytes at a time.</summary>
        public const int Alignment = 4;

        /// <summary>Sets LastUse for unread and feature tensors, every ArenaOffset, ArenaSize and NaiveArenaSize.</summary>
        public static void Plan(Model model)
        {
            Tensor[] tensors = model.Tensors;
            int n = tensors.Length;
            int end = model.Operators.Length;
            long naive = 0;
            for (int i = 0; i < n; i++)
            {
                Tensor t = tensors[i];
                if (t.LastUse < t.FirstUse) t.LastUse = t.FirstUse < 0 ? 0 : t.FirstUse; // written, never read
                naive += Align(t.Length);
            }
            model.PartFeature.LastUse = end;
            model.FullFeature.LastUse = end;

            // Placement order: size descending, then index (insertion sort: n <= 256, once at load).
            int[] order = new int[n];
            for (int i = 0; i < n; i++)
            {
                int j = i;
                while (j > 0 && Before(tensors[i], tensors[order[j - 1]])) { order[j] = order[j - 1]; j--; }
                order[j] = i;
            }

            int[] placedOffsets = new int[n];
            int[] placedEnds = new int[n];
            long arena = 0;
            for (int k = 0; k < n; k++)
            {
                Tensor t = tensors[order[k]];
                int size = Align(t.Length);
                // Collect the placed tensors alive at the same time, sorted by offset.
                int count = 0;
                for (int q = 0; q < k; q++)
                {
                    Tensor o = tensors[order[q]];
                    if (o.FirstUse <= t.LastUse && t.FirstUse <= o.LastUse)
                    {
                        int j = count++;
                        while (j > 0 && placedOffsets[j - 1] > o.ArenaOffset)
                        {
                            placedOffsets[j] = placedOffsets[j - 1];
                            placedEnds[j] = placedEnds[j - 1];
                            j--;
                        }
                        placedOffsets[j] = o.ArenaOffset;
                        placedEnds[j] = o.ArenaOffset + Align(o.Length);
                    }
                }
                int offset = 0;
                for (int j = 0; j < count; j++)
                {
                    if (placedOffsets[j] >= offset + size) break; // fits in the gap before this one
                    if (placedEnds[j] > offset) offset = placedEnds[j];
                }
                t.ArenaOffset = offset;
                if (offset + size > arena) arena = offset + size;
            }
            model.ArenaSize = (int)arena;
            model.NaiveArenaSize = naive > int.MaxValue ? int.MaxValue : (int)naive;
        }

        static bool Before(Tensor a, Tensor b)
        {
            return a.Length > b.Length || (a.Length == b.Length && a.Index < b.Index);
        }

        static int Align(int bytes) { return (bytes + Alignment - 1) / Alignment * Alignment; }
    }
}

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
    /// In place: an operator whose kernel allows output == input (Operator.WritesOverInput: Add,
    /// Softmax, a 1x1 stride-1 Conv2D with as many output as input channels) and whose input of
    /// the same size dies at that operator writes its output over that input, so the two share one
    /// buffer.
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

            // In-place chains: root[t] is the tensor whose buffer t reuses (itself if none);
            // end[r] is the last use over the chain rooted at r.
            int[] root = new int[n];
            int[] chainEnd = new int[n];
            for (int i = 0; i < n; i++) { root[i] = i; chainEnd[i] = tensors[i].LastUse; }
            Operator[] ops = model.Operators;
            for (int i = 0; i < ops.Length; i++)
            {
                Operator op = ops[i];
                if (!op.WritesOverInput) continue;
                Tensor x = InPlaceInput(op.Input, op);
                if (x == null && op.Input2 != null) x = InPlaceInput(op.Input2, op);
                if (x == null) continue;
                int r = root[x.Index];
                root[op.Output.Index] = r;
                if (op.Output.LastUse > chainEnd[r]) chainEnd[r] = op.Output.LastUse;
            }

            // Placement order of the roots: size descending, then index (insertion sort: n <= 256, once at load).
            int[] order = new int[n];
            int roots = 0;
            for (int i = 0; i < n; i++)
            {
                if (root[i] != i) continue;
                int j = roots++;
                while (j > 0 && Before(tensors[i], tensors[order[j - 1]])) { order[j] = order[j - 1]; j--; }
                order[j] = i;
            }

            int[] placedOffsets = new int[n];
            int[] placedEnds = new int[n];
            long arena = 0;
            for (int k = 0; k < roots; k++)
            {
                Tensor t = tensors[order[k]];
                int tEnd = chainEnd[t.Index];
                int size = Align(t.Length);
                // Collect the placed roots alive at the same time, sorted by offset.
                int count = 0;
                for (int q = 0; q < k; q++)
                {
                    Tensor o = tensors[order[q]];
                    if (o.FirstUse <= tEnd && t.FirstUse <= chainEnd[o.Index])
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
            for (int i = 0; i < n; i++)
                if (root[i] != i) tensors[i].ArenaOffset = tensors[root[i]].ArenaOffset;
            model.arenaSize = (int)arena;
            model.naiveArenaSize = naive > int.MaxValue ? int.MaxValue : (int)naive;
        }

        /// <summary>x if op may write its output over it: same size, and op is its last reader.</summary>
        static Tensor InPlaceInput(Tensor x, Operator op)
        {
            return x.LastUse == op.Index && x.Length == op.Output.Length ? x : null;
        }

        static bool Before(Tensor a, Tensor b)
        {
            return a.Length > b.Length || (a.Length == b.Length && a.Index < b.Index);
        }

        static int Align(int bytes) { return (bytes + Alignment - 1) / Alignment * Alignment; }
    }
}

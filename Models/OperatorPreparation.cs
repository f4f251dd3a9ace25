using System;

namespace MicroT.Runtime.Models
{
    /// <summary>
    /// Runs each operator's Prepare once at load (after arena planning) and sizes the shared
    /// scratch from their ScratchSize. The reader has already checked everything the kernels
    /// check; should a kernel still refuse, its ArgumentException becomes a ModelFormatException
    /// naming the operator. Unless the model keeps its reference data, each operator then drops
    /// what only loading and the Reference loops read.
    /// </summary>
    internal static class OperatorPreparation
    {
        internal static void Prepare(Model model)
        {
            Operator[] ops = model.Operators;
            int scratch = 0;
            for (int i = 0; i < ops.Length; i++)
            {
                Operator op = ops[i];
                int need;
                try
                {
                    op.Prepare(model);
                    need = op.ScratchSize();
                }
                catch (ArgumentException e)
                {
                    int entry = ModelFormat.HeaderSize + model.Tensors.Length * ModelFormat.TensorEntrySize + i * ModelFormat.OperatorEntrySize;
                    throw new ModelFormatException(op.Describe() + ": kernel rejected it: " + e.Message, entry);
                }
                if (need > scratch) scratch = need;
                if (!model.KeepsReferenceData) op.DropReferenceData();
            }
            if (scratch > ModelFormat.MaxScratchLongs)
                throw new ModelFormatException("the kernels need " + scratch.ToString() + " longs of scratch, above the limit of " + ModelFormat.MaxScratchLongs.ToString(), -1);
            model.scratchLength = scratch;
        }
    }
}

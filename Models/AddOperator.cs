using MicroT.Runtime.Kernels;

namespace MicroT.Runtime.Models
{
    /// <summary>
    /// Add (kind 4): element-wise sum of two tensors of one shape, each rescaled (TFLite int8 Add);
    /// runs <see cref="Kernels.Add"/>, which may write over either input (the arena planner uses
    /// that). Scratch: Add.ScratchSize, 512 longs (two 256-entry tables) from 256 elements on.
    /// MACs: output values.
    /// </summary>
    internal sealed class AddOperator : Operator
    {
        Tensor input2;
        AddParams parameters;

        internal AddOperator(int index) : base(index) { }

        public override OperatorKind Kind { get { return OperatorKind.Add; } }
        internal override string KindName { get { return "Add"; } }
        public override Tensor Input2 { get { return input2; } }
        public override long Macs { get { return output.Length; } }
        internal override bool WritesOverInput { get { return true; } }
        internal override bool TakesSecondInput { get { return true; } }
        internal override void SetSecondInput(Tensor t) { input2 = t; }

        internal override void Decode(ModelReader reader, int entry)
        {
            DecodeNoWindow(entry);
            Tensor x = input, x2 = input2, y = output;
            if (!x.SameShape(y) || !x2.SameShape(y))
                throw ModelReader.Fail(Describe() + ": inputs " + x.ShapeText() + " and " + x2.ShapeText() + " and output " + y.ShapeText() + " must have one shape", entry + 4);
            reader.ExpectNoConstants(this, entry);
            double e1 = (double)x.Scale / y.Scale, e2 = (double)x2.Scale / y.Scale;
            if (!ModelReader.EffectiveOk(e1)) throw ModelReader.Fail(Describe() + ": first input to output scale ratio " + ModelReader.EffectiveRule(e1), entry + 4);
            if (!ModelReader.EffectiveOk(e2)) throw ModelReader.Fail(Describe() + ": second input to output scale ratio " + ModelReader.EffectiveRule(e2), entry + 6);
        }

        internal override void Prepare(Model model)
        {
            Tensor y = output;
            AddParams p = new AddParams();
            p.Size = y.Length;
            p.Input1ZeroPoint = input.ZeroPoint; p.Input2ZeroPoint = input2.ZeroPoint; p.OutputZeroPoint = y.ZeroPoint;
            p.ActivationMin = ActivationMin; p.ActivationMax = ActivationMax;
            p.SetScales(input.Scale, input2.Scale, y.Scale);
            parameters = p;
        }

        internal override int ScratchSize() { return Kernels.Add.ScratchSize(parameters); }

        internal override void Run(sbyte[] arena, long[] scratch)
        {
            Kernels.Add.Run(parameters, arena, input.arenaOffset, arena, input2.arenaOffset, arena, output.arenaOffset, scratch);
        }
    }
}

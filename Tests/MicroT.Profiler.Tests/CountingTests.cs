using System.Reflection;
using Xunit;

namespace MicroT.Profiler.Tests;

/// <summary>Executed counts of the hand-written IL in <see cref="IlFixture"/>, worked out by hand there.</summary>
public class CountingTests
{
    static readonly InstrumentedAssembly Fixture = Instrumenter.Instrument(IlFixture.Image);

    // One fresh load per measurement: counters start at zero and nothing leaks between tests.
    static (object Result, CostProfile Profile) Run(string method, params object[] args)
    {
        var context = new CountingLoadContext(Fixture);
        try
        {
            var target = context.Counted.GetType(IlFixture.TypeName)!.GetMethod(method)!;
            object result = null;
            var profile = context.Measure(() =>
            {
                try { result = target.Invoke(null, args); }
                catch (TargetInvocationException e) { result = e.InnerException; }
            });
            return (result, profile);
        }
        finally { context.Unload(); }
    }

    static void AssertCounts(CostCounts counts, long invocations, long instructions, long calls, long allocations)
    {
        Assert.Equal((invocations, instructions, calls, allocations),
            (counts.Invocations, counts.Instructions, counts.Calls, counts.Allocations));
    }

    [Fact]
    public void StraightLineCountsEachInstructionOnce()
    {
        var (result, profile) = Run("StraightLine", 2, 5);
        Assert.Equal(21, result);
        AssertCounts(profile.Of("Methods::StraightLine"), 1, 6, 0, 0);
        AssertCounts(profile.Total, 1, 6, 0, 0);
        Assert.Equal(6, profile.Total.Weighted);
    }

    [Theory]
    [InlineData(0, 10)]
    [InlineData(1, 21)]
    [InlineData(10, 120)]
    [InlineData(1000, 11010)]
    public void LoopOfNCounts10Plus11N(int n, long expected)
    {
        var (result, profile) = Run("Sum", n);
        Assert.Equal(n * (n - 1) / 2, result);
        AssertCounts(profile.Of("Methods::Sum"), 1, expected, 0, 0);
    }

    [Theory]
    [InlineData(1, 9)]
    [InlineData(4, 30)]
    public void LoopStartingAtTheFirstInstructionCountsOneInvocation(int n, long expected)
    {
        var (result, profile) = Run("CountDown", n);
        Assert.Equal(0, result);
        AssertCounts(profile.Of("Methods::CountDown"), 1, expected, 0, 0);
    }

    [Fact]
    public void BranchTakenSkipsTheCall()
    {
        var (result, profile) = Run("Branch", -3);
        Assert.Equal(-1, result);
        AssertCounts(profile.Of("Methods::Branch"), 1, 5, 0, 0);
        AssertCounts(profile.Of("Methods::StraightLine"), 0, 0, 0, 0);
        Assert.Equal(5, profile.Total.Weighted);
    }

    [Fact]
    public void BranchNotTakenCountsTheCallAndTheCallee()
    {
        var (result, profile) = Run("Branch", 3);
        Assert.Equal(18, result);
        AssertCounts(profile.Of("Methods::Branch"), 1, 7, 1, 0);
        AssertCounts(profile.Of("Methods::StraightLine"), 1, 6, 0, 0);
        AssertCounts(profile.Total, 2, 13, 1, 0);
        Assert.Equal(12 * CostWeights.SimpleInstruction + CostWeights.Call, profile.Total.Weighted);
    }

    [Fact]
    public void NormalPathThroughTryCountsNoHandler()
    {
        var (result, profile) = Run("Catcher", 5);
        Assert.Equal(5, result);
        AssertCounts(profile.Of("Methods::Catcher"), 1, 6, 1, 0);
        AssertCounts(profile.Of("Methods::Guard"), 1, 5, 0, 0);
    }

    [Fact]
    public void ExceptionPathCountsThrowAndHandlerButNotTheRestOfTheTry()
    {
        var (result, profile) = Run("Catcher", -5);
        Assert.Equal(-1, result);
        AssertCounts(profile.Of("Methods::Catcher"), 1, 8, 1, 0);
        AssertCounts(profile.Of("Methods::Guard"), 1, 6, 1, 1);
        AssertCounts(profile.Total, 2, 14, 2, 1);
    }

    [Fact]
    public void UncaughtExceptionStillCounts()
    {
        var (result, profile) = Run("Guard", -1);
        Assert.IsType<ArgumentException>(result);
        AssertCounts(profile.Of("Methods::Guard"), 1, 6, 1, 1);
    }

    [Fact]
    public void BoxAndNewarrAllocateNewobjOfAStructOnlyCalls()
    {
        var (result, profile) = Run("Allocate");
        Assert.Equal(0, result);
        AssertCounts(profile.Of("Methods::Allocate"), 1, 11, 1, 2);
    }

    [Fact]
    public void RepeatedRunsAddUp()
    {
        var context = new CountingLoadContext(Fixture);
        try
        {
            var sum = context.Counted.GetType(IlFixture.TypeName)!.GetMethod("Sum")!;
            var profile = context.Measure(() => { for (int i = 0; i < 3; i++) sum.Invoke(null, [10]); });
            AssertCounts(profile.Of("Methods::Sum"), 3, 360, 0, 0);
        }
        finally { context.Unload(); }
    }

    [Fact]
    public void WeightsAreSimpleOneCallThirteen()
    {
        Assert.Equal(1, CostWeights.SimpleInstruction);
        Assert.Equal(13, CostWeights.Call);
        Assert.Equal(9 + 2 * 13, CostWeights.Weighted(11, 2));
    }
}

using System.Diagnostics;

namespace TieredKv.Fuzz;

/// <summary>Runs one input through a target and judges it: rejection, crash, allocation over budget, or too slow.</summary>
internal sealed class FuzzHarness(IFuzzTarget target, TimeSpan timeBudget)
{
    public IFuzzTarget Target => target;

    public TimeSpan TimeBudget => timeBudget;

    public ExecutionOutcome Execute(ReadOnlySpan<byte> input)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        long started = Stopwatch.GetTimestamp();
        Exception? error = null;
        try
        {
            target.Run(input);
        }
        catch (Exception e)
        {
            // OutOfMemory and InsufficientExecutionStack land here too, and are findings like any other.
            error = e;
        }
        var elapsed = Stopwatch.GetElapsedTime(started);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        long budget = target.AllocationBudget(input.Length, target.ProducedBytes);
        FindingKind? finding =
            error != null && !target.IsRejection(error) ? FindingKind.Crash
            : allocated > budget ? FindingKind.Allocation
            : elapsed > timeBudget ? FindingKind.Hang
            : null;
        return new ExecutionOutcome(error, allocated, budget, elapsed, finding);
    }
}

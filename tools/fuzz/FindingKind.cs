namespace TieredKv.Fuzz;

/// <summary>Why an execution is a finding.</summary>
internal enum FindingKind
{
    /// <summary>The parser threw something other than its documented rejection.</summary>
    Crash,

    /// <summary>The run allocated more than the target's budget for its input: a claimed length was trusted.</summary>
    Allocation,

    /// <summary>The run took longer than the per-input time budget.</summary>
    Hang,
}

namespace TieredKv.Fuzz;

/// <summary>What an in-process fuzzing run did.</summary>
internal sealed record FuzzRunResult(string Target, long Executions, TimeSpan Elapsed, long Findings, IReadOnlyList<string> SavedFindings,
    int CorpusSize, int Behaviours, long Rejections)
{
    public double ExecutionsPerSecond => Executions / Math.Max(Elapsed.TotalSeconds, 1e-9);

    public override string ToString() =>
        $"{Target}: {Executions:N0} executions in {Elapsed.TotalSeconds:F1} s ({ExecutionsPerSecond:N0} execs/s), " +
        $"{Rejections:N0} rejected, {Behaviours} distinct behaviours, corpus {CorpusSize}, findings {Findings} ({SavedFindings.Count} distinct)";
}

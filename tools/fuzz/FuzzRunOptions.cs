namespace TieredKv.Fuzz;

/// <summary>How long and how an in-process fuzzing run goes.</summary>
internal sealed record FuzzRunOptions
{
    /// <summary>Stop after this long (whichever of this and <see cref="MaxExecutions"/> comes first).</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(60);

    public long MaxExecutions { get; init; } = long.MaxValue;

    public int Seed { get; init; } = Environment.TickCount;

    /// <summary>Mutants are cut to this length: parsers' per-byte costs show long before it.</summary>
    public int MaxInputLength { get; init; } = 64 * 1024;

    /// <summary>Time budget per input; a slower one is a hang finding.</summary>
    public TimeSpan TimeBudget { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Where findings are saved (null: kept in memory only).</summary>
    public string? FindingsDirectory { get; init; }

    /// <summary>Inputs kept beside the seeds because they behaved in a new way.</summary>
    public int MaxCorpus { get; init; } = 2048;
}

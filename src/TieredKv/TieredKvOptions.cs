using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace TieredKv;

/// <summary>How a store is opened: databases, memory budget, durability and engine sizes.</summary>
public sealed record TieredKvOptions
{
    /// <summary>Number of databases (Redis's <c>databases</c>), 1 to 256.</summary>
    public int Databases { get; init; } = 16;

    /// <summary>The hot tier's memory budget in bytes (Redis's <c>maxmemory</c>); 0 keeps nothing hot.</summary>
    public long MaxMemoryBytes { get; init; } = 256L << 20;

    /// <summary>When writes are fsynced (Redis's <c>appendfsync</c>).</summary>
    public AppendFsync AppendFsync { get; init; } = AppendFsync.EverySec;

    /// <summary>
    /// Writes return before their WAL record is written; the caller makes them durable with
    /// <see cref="TieredKvStore.CommitWrites"/> before acknowledging them. A server does this once per
    /// batch of pipelined commands (one WAL write for the lot, as Redis writes its AOF once per
    /// event-loop turn). Off by default: every operation is durable when it returns.
    /// </summary>
    public bool DeferDurability { get; init; }

    /// <summary>Sizes of the storage engine (memtable, block cache, levels, table files) and its recovery mode.</summary>
    public StorageOptions Engine { get; init; } = new();

    /// <summary>How often the active expiry cycle runs; <see cref="TimeSpan.Zero"/> turns it off (expiry stays lazy).</summary>
    public TimeSpan ActiveExpiryInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// How often writes are retried after a WAL failure (a full disk): the store accepts writes again as soon as
    /// one retry succeeds. <see cref="TimeSpan.Zero"/> leaves it to the caller (<c>Db.Resume</c>).
    /// </summary>
    public TimeSpan WriteRetryInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The clock for expiry: inject one in tests.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    public ILoggerFactory LoggerFactory { get; init; } = NullLoggerFactory.Instance;
}

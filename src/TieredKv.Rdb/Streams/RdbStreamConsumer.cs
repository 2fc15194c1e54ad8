namespace TieredKv.Rdb.Streams;

/// <summary>
/// A consumer of a group: its name, when it was last seen (any interaction, Unix ms) and when it last read or
/// claimed successfully (<see cref="ActiveTimeMs"/>: stored only by RDB type 21, Redis 7.2+; for older types it
/// equals the seen time, as Redis assumes). The entries it owns are the group's PEL entries naming it
/// (<see cref="RdbStreamGroup.PendingOf"/>).
/// </summary>
public sealed class RdbStreamConsumer(byte[] name, long seenTimeMs, long activeTimeMs)
{
    public byte[] Name { get; } = name;

    public long SeenTimeMs { get; } = seenTimeMs;

    public long ActiveTimeMs { get; } = activeTimeMs;
}

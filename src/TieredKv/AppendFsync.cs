namespace TieredKv;

/// <summary>When acknowledged writes reach the disk, with the meaning of Redis's <c>appendfsync</c>.</summary>
public enum AppendFsync
{
    /// <summary>fsync before a write is acknowledged (one fsync shared by the writes committing together).</summary>
    Always,

    /// <summary>Written to the OS before the acknowledgement, fsynced once a second: a power cut loses at most about a second.</summary>
    EverySec,

    /// <summary>Written to the OS before the acknowledgement; the OS decides when it reaches the disk.</summary>
    No,
}

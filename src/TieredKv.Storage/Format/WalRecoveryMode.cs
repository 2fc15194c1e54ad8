namespace TieredKv.Storage.Format;

/// <summary>What recovery does when a WAL record before the tail fails its checksum.</summary>
public enum WalRecoveryMode
{
    /// <summary>Refuse to open, naming the file and offset. The default: no silent data loss.</summary>
    Strict,

    /// <summary>Skip damaged records (resynchronising on the next valid one), log what was dropped, and open.</summary>
    Salvage,
}

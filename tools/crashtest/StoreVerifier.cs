using TieredKv.Storage;

namespace TieredKv.CrashTest;

/// <summary>
/// Opens the data directory with the storage engine (no background work) and reads every entry:
/// WAL replay checks each record's CRC (strict mode refuses damage before the tail), and a full
/// scan reads every block of every live table, each checked against its CRC.
/// </summary>
internal static class StoreVerifier
{
    /// <summary>The number of live entries; throws <see cref="Storage.Format.CorruptionException"/> (or IOException) on damage.</summary>
    public static long CountEntries(string dataDir)
    {
        using var db = Db.Open(dataDir, new DbOptions { CreateIfMissing = false, BackgroundWork = false, WalSync = WalSyncPolicy.No });
        using var iterator = db.NewIterator(new ReadOptions { FillCache = false });
        long entries = 0;
        for (iterator.SeekToFirst(); iterator.Valid; iterator.Next()) entries++;
        return entries;
    }
}

namespace TieredKv.Server.Config;

/// <summary>
/// What a CONFIG SET must change beyond the options the server reads on each use: the store's hot-tier budget
/// (maxmemory: a smaller one demotes keys at once) and its WAL fsync policy (appendfsync: a switch to always
/// fsyncs what is pending before CONFIG SET answers). loglevel needs nothing here: every logger reads it
/// (<see cref="LiveLogLevelLoggerFactory"/>).
/// </summary>
internal static class RuntimeConfig
{
    public static void Apply(TieredKvStore store, ServerOptions options, IEnumerable<string> changed)
    {
        foreach (var name in changed)
        {
            switch (name)
            {
                case "maxmemory":
                    store.SetMaxMemory(options.MaxMemory < 0 ? long.MaxValue : options.MaxMemory); // above 2^63-1: no limit
                    break;
                case "appendfsync":
                    store.SetAppendFsync(options.AppendFsync switch
                    {
                        Storage.WalSyncPolicy.Always => AppendFsync.Always,
                        Storage.WalSyncPolicy.No => AppendFsync.No,
                        _ => AppendFsync.EverySec,
                    });
                    break;
            }
        }
    }
}

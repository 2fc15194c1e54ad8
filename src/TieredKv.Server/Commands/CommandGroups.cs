using TieredKv.Server.Dispatch;

namespace TieredKv.Server.Commands;

/// <summary>Every command group, registered into the command table in this order (COMMAND lists them so).</summary>
internal static class CommandGroups
{
    public static void Register(CommandTable t)
    {
        ConnectionCommands.Register(t);
        ClientCommands.Register(t);
        ServerCommands.Register(t);
        CommandIntrospection.Register(t);
        InfoCommand.Register(t);
        KeyCommands.Register(t);
        StringCommands.Register(t);
        PubSubCommands.Register(t);
        TransactionCommands.Register(t);
        BitmapCommands.Register(t);
        LcsCommand.Register(t);
        ObjectCommands.Register(t);
        MemoryCommands.Register(t);
        HashCommands.Register(t);
        HashFieldExpiryCommands.Register(t);
        ListCommands.Register(t);
        BlockingCommands.Register(t);
        SetCommands.Register(t);
        SortedSetCommands.Register(t);
        HyperLogLogCommands.Register(t);
        GeoCommands.Register(t);
        StreamCommands.Register(t);
        StreamReadCommands.Register(t);
        StreamGroupCommands.Register(t);
        StreamInfoCommands.Register(t);
        MigrateCommand.Register(t);
        ReplicationCommands.Register(t);
        MonitoringCommands.Register(t);
        SortCommand.Register(t);
        SwapDbCommand.Register(t);
        DebugCommands.Register(t);
        LolwutCommand.Register(t);
        var scripts = ScriptingCommands.Register(t);
        FunctionCommands.Register(t, scripts);
        PersistenceCommands.Register(t, scripts);
    }
}

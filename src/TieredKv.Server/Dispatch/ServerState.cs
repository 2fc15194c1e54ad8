using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using TieredKv.Server.Blocking;
using TieredKv.Server.Config;
using TieredKv.Server.Monitoring;
using TieredKv.Server.Persistence;
using TieredKv.Server.PubSub;
using TieredKv.Server.Transactions;

namespace TieredKv.Server.Dispatch;

/// <summary>What every connection shares: the store, the settings, the command table, the clients and the counters for INFO.</summary>
internal sealed class ServerState(TieredKvStore store, ServerOptions options, ILogger logger, Action<CommandTable> registerCommands)
{
    private long _nextClientId;
    private long _connectionsReceived;
    private long _rejectedConnections;

    public TieredKvStore Store { get; } = store;
    public ServerOptions Options { get; } = options;
    public ILogger Logger { get; } = logger;
    public CommandTable Commands { get; } = WithRenames(options, registerCommands);
    public ConcurrentDictionary<long, ClientSession> Clients { get; } = new();
    public PubSubHub PubSub { get; } = new();
    public WatchRegistry Watches { get; } = new();
    public BlockedClients Blocked { get; } = new();
    /// <summary>CLIENT PAUSE: while it lasts, commands (or only writes) wait.</summary>
    public ClientPause Pause { get; } = new();
    /// <summary>Client-side caching: who read which keys, who follows which prefixes.</summary>
    public Tracking.TrackingTable Tracking => Volatile.Read(ref _tracking) ?? CreateTracking();
    private Tracking.TrackingTable? _tracking;

    /// <summary>Built on first use (it needs the client map): every command asks for it, so the getter must not allocate.</summary>
    private Tracking.TrackingTable CreateTracking()
    {
        Interlocked.CompareExchange(ref _tracking, new(id => Clients.TryGetValue(id, out var c) ? c : null, () => Options.TrackingTableMaxKeys, PubSub), null);
        return _tracking;
    }
    /// <summary>Whose command runs on each thread: the keyspace notifications of a change put that client's own copies before its reply.</summary>
    public CommandOrigin Origin { get; } = new();
    /// <summary>SAVE/BGSAVE state: the RDB file, whether a background save runs, the last save's time and outcome.</summary>
    public RdbSaver Saver { get; } = new(store, options, logger);

    /// <summary>Slow log, latency monitor, error and network statistics, MONITOR clients.</summary>
    public ServerMonitoring Monitoring { get; } = new(options, store);

    /// <summary>Commands run holding it shared; EXEC holds it exclusive, so a transaction never interleaves with other clients' commands.</summary>
    public TieredKv.Keyspace.SharedExclusiveLock ExecutionLock { get; } = new();

    /// <summary>A script running past busy-reply-threshold (EVAL holds the execution lock meanwhile).</summary>
    public BusyScript BusyScript { get; } = new();

    public DateTime StartedAt { get; } = DateTime.UtcNow;
    public string RunId { get; } = Convert.ToHexString(Guid.NewGuid().ToByteArray()).ToLowerInvariant() + "00000000";

    /// <summary>Cancelled by SHUTDOWN (or a signal): the listener stops and the store closes.</summary>
    public CancellationTokenSource Shutdown { get; } = new();

    public long CommandsProcessed => Monitoring.CommandsProcessed;
    public long ConnectionsReceived => Interlocked.Read(ref _connectionsReceived);
    public long RejectedConnections => Interlocked.Read(ref _rejectedConnections);

    public long NextClientId() => Interlocked.Increment(ref _nextClientId);
    public void CountCommand() => Monitoring.CountCommand();
    public void CountConnection() => Interlocked.Increment(ref _connectionsReceived);
    public void CountRejected() => Interlocked.Increment(ref _rejectedConnections);

    private static CommandTable WithRenames(ServerOptions options, Action<CommandTable> registerCommands)
    {
        var table = new CommandTable(registerCommands);
        foreach (var (command, newName) in options.RenamedCommands) table.Rename(command, newName);
        return table;
    }

    public void ResetStats()
    {
        Interlocked.Exchange(ref _connectionsReceived, 0);
        Interlocked.Exchange(ref _rejectedConnections, 0);
        Monitoring.ResetStats();
        Store.Lookups.Reset();
        foreach (var spec in Commands.Originals)
        {
            spec.Statistics.Reset();
            foreach (var sub in spec.Subcommands?.Values ?? []) sub.Statistics.Reset();
        }
    }
}

using System.Net;
using TieredKv.Server.Monitoring;
using TieredKv.Server.Tracking;
using TieredKv.Server.Blocking;
using TieredKv.Server.PubSub;
using TieredKv.Server.Transactions;

namespace TieredKv.Server.Dispatch;

/// <summary>Per-connection state that commands read and change: selected database, protocol, name, authentication.</summary>
internal sealed class ClientSession(long id, EndPoint? remote, EndPoint? local) : ITrackingClient, IMonitoredClient
{
    public long Id { get; } = id;
    public string? Name { get; set; }
    public int Database { get; set; }
    public int Protocol { get; set; } = 2;
    public bool Authenticated { get; set; }
    public EndPoint? Remote { get; } = remote;
    public EndPoint? Local { get; } = local;

    /// <summary>CLIENT LIST's addr: ip:port, or for a Unix socket its path and port 0, as Redis shows it.</summary>
    public string Address { get; } = remote is System.Net.Sockets.UnixDomainSocketEndPoint ? $"{local}:0" : remote?.ToString() ?? "";

    /// <summary>CLIENT LIST's laddr, in the same form.</summary>
    public string LocalAddress { get; } = local is System.Net.Sockets.UnixDomainSocketEndPoint ? $"{local}:0" : local?.ToString() ?? "";

    public string MonitorAddress => IsUnixSocket ? $"unix:{Local}" : Address;

    public bool IsUnixSocket => Remote is System.Net.Sockets.UnixDomainSocketEndPoint;
    public DateTime ConnectedAt { get; } = DateTime.UtcNow;
    public DateTime LastInteraction { get; set; } = DateTime.UtcNow;
    public string LastCommand { get; set; } = "NULL";

    /// <summary>A write command succeeded since the connection last made its writes durable: its replies wait for a WAL commit.</summary>
    public bool WroteSinceCommit { get; set; }

    /// <summary>Set by QUIT or CLIENT KILL: close once the pending replies are sent.</summary>
    public bool CloseRequested { get; set; }

    /// <summary>Closes the connection from another client (CLIENT KILL).</summary>
    public Action? Kill { get; set; }

    /// <summary>Channels and patterns this client is subscribed to (Latin-1 names; see <see cref="PubSubHub"/>).</summary>
    public HashSet<string> Channels { get; } = new(StringComparer.Ordinal);
    public HashSet<string> Patterns { get; } = new(StringComparer.Ordinal);
    public HashSet<string> ShardChannels { get; } = new(StringComparer.Ordinal);

    /// <summary>In pub/sub mode: RESP2 clients may then only run the (un)subscribe commands, PING, QUIT and RESET.</summary>
    public bool Subscribed => Channels.Count + Patterns.Count + ShardChannels.Count > 0;

    /// <summary>Where other clients' threads write to this one (published messages).</summary>
    public ClientOutbox? Outbox { get; set; }

    public void Deliver(byte[] frame) => Outbox?.Enqueue(frame);

    public TransactionState Transaction { get; } = new();

    /// <summary>CLIENT TRACKING settings (and the keys its running command modified).</summary>
    public Tracking.ClientTracking Tracking { get; } = new();

    /// <summary>CLIENT REPLY: whether this client's replies are sent.</summary>
    public ClientReplyMode ReplyMode { get; set; }

    /// <summary>CLIENT NO-EVICT ON (CLIENT LIST's e flag).</summary>
    public bool NoEvict { get; set; }

    /// <summary>Set by CLIENT UNBLOCK … ERROR: the blocked command answers the UNBLOCKED error instead of running again.</summary>
    public bool UnblockedWithError { get; set; }

    /// <summary>Set when CLIENT PAUSE holds the command back: the connection waits for this task, then runs it.</summary>
    public Task? PendingPause { get; set; }

    /// <summary>A MIGRATE waiting for its target (with <see cref="PendingPause"/> set to its transfer): run again, it finishes.</summary>
    public Commands.MigrateCommand.InFlight? PendingMigration { get; set; }

    /// <summary>Error replies sent to this client, and their number when the current command began: whether it failed (INFO commandstats).</summary>
    public long ErrorReplies { get; set; }

    /// <inheritdoc cref="ErrorReplies"/>
    public long ErrorRepliesAtCall { get; set; }

    /// <summary>Set by a blocking command that found its keys empty: the connection waits, then runs it again.</summary>
    public BlockRequest? PendingBlock { get; set; }

    /// <summary>The IDs a blocked XREAD or XREADGROUP resolved when it first ran (<c>$</c> fixed then; null for <c>&gt;</c>), reused when it runs again.</summary>
    public IReadOnlyList<StreamId?>? BlockedStreamIds { get; set; }

    /// <summary>A script (EVAL, FCALL) runs the commands of this client: blocking options are refused, as Redis's CLIENT_SCRIPT.</summary>
    public bool InScript { get; set; }

    /// <summary>When the blocking command being retried gives up (<see cref="Environment.TickCount64"/>); 0 = never, null = not blocking.</summary>
    public long? BlockDeadline { get; set; }

    /// <summary>Connected from this machine: over loopback or a Unix socket (what protected mode and <c>local</c> settings allow).</summary>
    public bool IsLoopback => Remote is IPEndPoint ip ? IPAddress.IsLoopback(ip.Address) : IsUnixSocket;
}

using System.Text;
using TieredKv.Keyspace;
using TieredKv.Numbers;
using TieredKv.Server.Dispatch;

namespace TieredKv.Server.Commands;

/// <summary>CLIENT and its subcommands, as Redis 7.0 (TRACKING and its companions: <see cref="ClientTrackingCommands"/>).</summary>
internal static class ClientCommands
{
    public static void Register(CommandTable t)
    {
        t.Add(new("client", -2, CommandFlags.None, 0, 0, 0, c => ServerCommands.Sub(c))
        {
            Subcommands = ServerCommands.Subs(
                new CommandSpec("client|id", 2, CommandFlags.None, 0, 0, 0, c => c.Reply.WriteInteger(c.Client.Id)),
                new CommandSpec("client|setname", 3, CommandFlags.None, 0, 0, 0, SetName),
                new CommandSpec("client|getname", 2, CommandFlags.None, 0, 0, 0, c => c.Reply.WriteBulkOrNull(c.Client.Name == null ? null : Encoding.UTF8.GetBytes(c.Client.Name))),
                new CommandSpec("client|list", -2, CommandFlags.Admin, 0, 0, 0, List),
                new CommandSpec("client|info", 2, CommandFlags.None, 0, 0, 0, c => c.Reply.WriteVerbatim(InfoLine(c.Server, c.Client) + "\n")),
                new CommandSpec("client|kill", -3, CommandFlags.Admin, 0, 0, 0, Kill),
                new CommandSpec("client|no-evict", 3, CommandFlags.Admin, 0, 0, 0, c => c.Client.NoEvict = OnOff(c)),
                new CommandSpec("client|no-touch", 3, CommandFlags.None, 0, 0, 0, c => OnOff(c)),
                new CommandSpec("client|setinfo", 4, CommandFlags.None, 0, 0, 0, c => c.Reply.WriteOk()),
                new CommandSpec("client|reply", 3, CommandFlags.None, 0, 0, 0, Reply),
                new CommandSpec("client|pause", -3, CommandFlags.Admin, 0, 0, 0, Pause),
                new CommandSpec("client|unpause", 2, CommandFlags.Admin, 0, 0, 0, c => { c.Server.Pause.Unpause(); c.Reply.WriteOk(); }),
                new CommandSpec("client|unblock", -3, CommandFlags.Admin, 0, 0, 0, Unblock),
                new CommandSpec("client|tracking", -3, CommandFlags.None, 0, 0, 0, ClientTrackingCommands.Tracking),
                new CommandSpec("client|trackinginfo", 2, CommandFlags.None, 0, 0, 0, ClientTrackingCommands.TrackingInfo),
                new CommandSpec("client|getredir", 2, CommandFlags.None, 0, 0, 0, ClientTrackingCommands.GetRedir),
                new CommandSpec("client|caching", 3, CommandFlags.None, 0, 0, 0, ClientTrackingCommands.Caching),
                new CommandSpec("client|help", 2, CommandFlags.None, 0, 0, 0, c => HelpText.Write(c, Help))),
        });
    }

    private static readonly string[] Help =
    [
        "CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "CACHING (YES|NO)",
        "    Enable/disable tracking of the keys for next command in OPTIN/OPTOUT modes.",
        "GETREDIR",
        "    Return the client ID we are redirecting to when tracking is enabled.",
        "GETNAME",
        "    Return the name of the current connection.",
        "ID",
        "    Return the ID of the current connection.",
        "INFO",
        "    Return information about the current client connection.",
        "KILL <ip:port>",
        "    Kill connection made from <ip:port>.",
        "KILL <option> <value> [<option> <value> [...]]",
        "    Kill connections. Options are:",
        "    * ADDR (<ip:port>|<unixsocket>:0)",
        "      Kill connections made from the specified address",
        "    * LADDR (<ip:port>|<unixsocket>:0)",
        "      Kill connections made to specified local address",
        "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
        "      Kill connections by type.",
        "    * USER <username>",
        "      Kill connections authenticated by <username>.",
        "    * SKIPME (YES|NO)",
        "      Skip killing current connection (default: yes).",
        "LIST [options ...]",
        "    Return information about client connections. Options:",
        "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
        "      Return clients of specified type.",
        "UNPAUSE",
        "    Stop the current client pause, resuming traffic.",
        "PAUSE <timeout> [WRITE|ALL]",
        "    Suspend all, or just write, clients for <timeout> milliseconds.",
        "REPLY (ON|OFF|SKIP)",
        "    Control the replies sent to the current connection.",
        "SETNAME <name>",
        "    Assign the name <name> to the current connection.",
        "UNBLOCK <clientid> [TIMEOUT|ERROR]",
        "    Unblock the specified blocked client.",
        "TRACKING (ON|OFF) [REDIRECT <id>] [BCAST] [PREFIX <prefix> [...]]",
        "         [OPTIN] [OPTOUT] [NOLOOP]",
        "    Control server assisted client side caching.",
        "TRACKINGINFO",
        "    Report tracking status for the current connection.",
        "NO-EVICT (ON|OFF)",
        "    Protect current client connection from eviction.",
        "HELP",
        "    Prints this help.",
    ];

    /// <summary>Redis's reply for a subcommand given too many arguments, naming it as typed.</summary>
    internal static KvException TooManyArguments(CommandContext c) =>
        new($"ERR unknown subcommand or wrong number of arguments for '{c.Text(1)}'. Try CLIENT HELP.");

    private static void SetName(CommandContext c)
    {
        string name = c.Text(2);
        ValidateName(name);
        c.Client.Name = name.Length == 0 ? null : name;
        c.Reply.WriteOk();
    }

    internal static void ValidateName(string name)
    {
        foreach (char ch in name)
            if (ch < '!' || ch > '~') throw new KvException("ERR Client names cannot contain spaces, newlines or special characters.");
    }

    /// <summary>A line of CLIENT LIST and CLIENT INFO: Redis 7.0's fields in its order (buffer sizes we do not keep are 0).</summary>
    internal static string InfoLine(ServerState server, ClientSession s)
    {
        var tracking = s.Tracking;
        long redirect = tracking.Enabled ? tracking.RedirectId : -1;
        return $"id={s.Id} addr={s.Address} laddr={s.LocalAddress} fd=0 name={s.Name ?? ""} age={(long)(DateTime.UtcNow - s.ConnectedAt).TotalSeconds} " +
            $"idle={(long)(DateTime.UtcNow - s.LastInteraction).TotalSeconds} flags={Flags(server, s)} db={s.Database} sub={s.Channels.Count} psub={s.Patterns.Count} " +
            $"ssub={s.ShardChannels.Count} multi={(s.Transaction.InMulti ? s.Transaction.Queue.Count : -1)} qbuf=0 qbuf-free=0 argv-mem=0 multi-mem=0 rbs=0 rbp=0 " +
            $"obl=0 oll=0 omem={s.Outbox?.QueuedBytes ?? 0} tot-mem=0 events=r cmd={s.LastCommand} user=default redir={redirect} resp={s.Protocol}";
    }

    /// <summary>CLIENT LIST's flags, in Redis's order; N when none.</summary>
    private static string Flags(ServerState server, ClientSession s)
    {
        var flags = new StringBuilder();
        if (s.Subscribed) flags.Append('P');
        if (s.Transaction.InMulti) flags.Append('x');
        if (server.Blocked.IsBlocked(s.Id)) flags.Append('b');
        if (s.Tracking.Enabled) flags.Append('t');
        if (s.Tracking.RedirectBroken) flags.Append('R');
        if (s.Tracking.Broadcast) flags.Append('B');
        if (s.NoEvict) flags.Append('e');
        if (s.IsUnixSocket) flags.Append('U');
        return flags.Length == 0 ? "N" : flags.ToString();
    }

    /// <summary>The clients of a TYPE option (NORMAL, PUBSUB; no MASTER or REPLICA here), with Redis's error for another.</summary>
    private static IEnumerable<ClientSession> OfType(IEnumerable<ClientSession> clients, string type) => type.ToLowerInvariant() switch
    {
        "normal" => clients.Where(s => !s.Subscribed),
        "pubsub" => clients.Where(s => s.Subscribed),
        "master" or "replica" or "slave" => [],
        _ => throw new KvException($"ERR Unknown client type '{type}'"),
    };

    /// <summary>CLIENT LIST [TYPE NORMAL|MASTER|REPLICA|SLAVE|PUBSUB] | [ID id …].</summary>
    private static void List(CommandContext c)
    {
        IEnumerable<ClientSession> clients = c.Server.Clients.Values;
        if (c.ArgCount == 4 && c.Args.Is(2, "TYPE"u8)) clients = OfType(clients, c.Text(3));
        else if (c.ArgCount > 3 && c.Args.Is(2, "ID"u8))
        {
            var ids = new HashSet<long>();
            for (int i = 3; i < c.ArgCount; i++)
            {
                if (!RedisNumbers.TryParseInteger(c.Args[i], out long id)) throw new KvException("ERR Invalid client ID");
                ids.Add(id);
            }
            clients = clients.Where(s => ids.Contains(s.Id));
        }
        else if (c.ArgCount != 2) throw CommandContext.Syntax();
        var sb = new StringBuilder();
        foreach (var client in clients.OrderBy(s => s.Id)) sb.Append(InfoLine(c.Server, client)).Append('\n');
        c.Reply.WriteVerbatim(sb.ToString());
    }

    private static void Kill(CommandContext c)
    {
        if (c.ArgCount == 3)
        {
            // Old form: CLIENT KILL addr:port
            string addr = c.Text(2);
            var victim = c.Server.Clients.Values.FirstOrDefault(s => s.Address == addr) ?? throw new KvException("ERR No such client");
            victim.Kill?.Invoke();
            c.Reply.WriteOk();
            return;
        }
        if ((c.ArgCount - 2) % 2 != 0) throw CommandContext.Syntax();
        IEnumerable<ClientSession> targets = c.Server.Clients.Values;
        bool skipMe = true;
        for (int i = 2; i < c.ArgCount; i += 2)
        {
            string value = c.Text(i + 1);
            if (c.Args.Is(i, "ID"u8))
            {
                if (!RedisNumbers.TryParseInteger(c.Args[i + 1], out long id) || id <= 0) throw new KvException("ERR client-id should be greater than 0");
                targets = targets.Where(s => s.Id == id);
            }
            else if (c.Args.Is(i, "TYPE"u8)) targets = OfType(targets, c.Text(i + 1));
            else if (c.Args.Is(i, "ADDR"u8)) targets = targets.Where(s => s.Address == value);
            else if (c.Args.Is(i, "LADDR"u8)) targets = targets.Where(s => s.LocalAddress == value);
            else if (c.Args.Is(i, "SKIPME"u8))
            {
                if (value.Equals("yes", StringComparison.OrdinalIgnoreCase)) skipMe = true;
                else if (value.Equals("no", StringComparison.OrdinalIgnoreCase)) skipMe = false;
                else throw CommandContext.Syntax();
            }
            else if (c.Args.Is(i, "USER"u8)) targets = value == "default" ? targets : throw new KvException($"ERR No such user '{value}'");
            else throw CommandContext.Syntax();
        }
        int killed = 0;
        foreach (var s in targets.ToList())
        {
            if (skipMe && s.Id == c.Client.Id) continue;
            if (s.Id == c.Client.Id) c.Client.CloseRequested = true;
            else s.Kill?.Invoke();
            killed++;
        }
        c.Reply.WriteInteger(killed);
    }

    /// <summary>ON or OFF (else a syntax error); replies OK and returns whether it was ON.</summary>
    private static bool OnOff(CommandContext c)
    {
        bool on = c.Args.Is(2, "on"u8);
        if (!on && !c.Args.Is(2, "off"u8)) throw CommandContext.Syntax();
        c.Reply.WriteOk();
        return on;
    }

    /// <summary>CLIENT REPLY ON|OFF|SKIP: only ON is answered; OFF and SKIP take effect at once (see <see cref="ClientCommandHooks"/>).</summary>
    private static void Reply(CommandContext c)
    {
        var client = c.Client;
        if (c.Args.Is(2, "ON"u8))
        {
            client.ReplyMode = ClientReplyMode.On;
            c.Reply.Discarding = false;
            c.Reply.WriteOk();
        }
        else if (c.Args.Is(2, "OFF"u8)) client.ReplyMode = ClientReplyMode.Off;
        else if (c.Args.Is(2, "SKIP"u8))
        {
            if (client.ReplyMode != ClientReplyMode.Off) client.ReplyMode = ClientReplyMode.SkipNext;
        }
        else throw CommandContext.Syntax();
    }

    /// <summary>CLIENT PAUSE timeout [WRITE|ALL]: milliseconds, ALL by default.</summary>
    private static void Pause(CommandContext c)
    {
        if (c.ArgCount > 4) throw TooManyArguments(c);
        if (!RedisNumbers.TryParseInteger(c.Args[2], out long milliseconds)) throw new KvException("ERR timeout is not an integer or out of range");
        if (milliseconds < 0) throw new KvException("ERR timeout is negative");
        bool all = true;
        if (c.ArgCount == 4)
        {
            if (c.Args.Is(3, "WRITE"u8)) all = false;
            else if (!c.Args.Is(3, "ALL"u8)) throw new KvException("ERR CLIENT PAUSE mode must be WRITE or ALL");
        }
        c.Server.Pause.Pause(milliseconds, all);
        c.Reply.WriteOk();
    }

    /// <summary>
    /// CLIENT UNBLOCK id [TIMEOUT|ERROR]: a client waiting in a blocking command answers at once, as if its
    /// timeout passed (the default) or with the UNBLOCKED error. 1 when it was blocked, else 0.
    /// </summary>
    private static void Unblock(CommandContext c)
    {
        if (c.ArgCount > 4) throw TooManyArguments(c);
        bool error = false;
        if (c.ArgCount == 4)
        {
            if (c.Args.Is(3, "ERROR"u8)) error = true;
            else if (!c.Args.Is(3, "TIMEOUT"u8)) throw new KvException("ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR");
        }
        if (!RedisNumbers.TryParseInteger(c.Args[2], out long id)) throw new KvException("ERR value is not an integer or out of range");
        if (!c.Server.Clients.TryGetValue(id, out var target) || !c.Server.Blocked.IsBlocked(id))
        {
            c.Reply.WriteInteger(0);
            return;
        }
        // Told before it wakes: the task's completion publishes these to the woken connection.
        if (error) target.UnblockedWithError = true;
        else target.BlockDeadline = 1; // long past: the command, run again, answers its timeout
        c.Reply.WriteInteger(c.Server.Blocked.Wake(id) ? 1 : 0);
    }
}

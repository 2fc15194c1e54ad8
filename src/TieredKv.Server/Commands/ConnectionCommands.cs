using System.Text;
using TieredKv.Keyspace;
using TieredKv.Server.Dispatch;
using TieredKv.Numbers;

namespace TieredKv.Server.Commands;

/// <summary>PING, ECHO, QUIT, SELECT, AUTH, HELLO, RESET (CLIENT: <see cref="ClientCommands"/>).</summary>
internal static class ConnectionCommands
{
    public static void Register(CommandTable t)
    {
        t.Add(new("ping", -1, CommandFlags.Fast, 0, 0, 0, Ping));
        t.Add(new("echo", 2, CommandFlags.Fast, 0, 0, 0, c => c.Reply.WriteBulk(c.Args[1])));
        t.Add(new("quit", -1, CommandFlags.NoAuth | CommandFlags.Fast, 0, 0, 0, Quit));
        t.Add(new("select", 2, CommandFlags.Fast, 0, 0, 0, Select));
        t.Add(new("auth", -2, CommandFlags.NoAuth | CommandFlags.Fast, 0, 0, 0, Auth));
        t.Add(new("hello", -1, CommandFlags.NoAuth | CommandFlags.Fast, 0, 0, 0, Hello));
        t.Add(new("reset", 1, CommandFlags.NoAuth | CommandFlags.Fast, 0, 0, 0, Reset));
    }

    private static void Ping(CommandContext c)
    {
        if (c.ArgCount > 2) throw CommandContext.WrongArity("ping");
        if (c.Client.Subscribed && c.Client.Protocol == 2)
        {
            // A RESP2 subscriber cannot tell a reply from a message: Redis answers in the message shape.
            c.Reply.WriteArrayHeader(2);
            c.Reply.WriteBulk("pong"u8);
            c.Reply.WriteBulk(c.ArgCount == 2 ? c.Args[1] : []);
            return;
        }
        if (c.ArgCount == 2) c.Reply.WriteBulk(c.Args[1]);
        else c.Reply.WriteSimpleString("PONG");
    }

    private static void Quit(CommandContext c)
    {
        c.Reply.WriteOk();
        c.Client.CloseRequested = true;
    }

    private static void Select(CommandContext c)
    {
        if (!RedisNumbers.TryParseInteger(c.Args[1], out long index)) throw new KvException("ERR value is not an integer or out of range");
        if (index < 0 || index >= c.Server.Store.DatabaseCount) throw new KvException("ERR DB index is out of range");
        c.Client.Database = (int)index;
        c.Reply.WriteOk();
    }

    private static void Auth(CommandContext c)
    {
        if (c.ArgCount > 3) throw CommandContext.Syntax();
        string? user = c.ArgCount == 3 ? c.Text(1) : null;
        string password = c.Text(c.ArgCount - 1);
        if (c.Server.Options.RequirePass == null && user == null)
            throw new KvException("ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?");
        if (!CheckPassword(c, user, password)) throw new KvException("WRONGPASS invalid username-password pair or user is disabled.");
        c.Client.Authenticated = true;
        c.Reply.WriteOk();
    }

    private static bool CheckPassword(CommandContext c, string? user, string password) =>
        (user == null || user == "default") &&
        (c.Server.Options.RequirePass is not { } required
            ? true
            : System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(required), Encoding.UTF8.GetBytes(password)));

    private static void Hello(CommandContext c)
    {
        int protocol = c.Client.Protocol;
        int i = 1;
        if (c.ArgCount > 1)
        {
            if (!RedisNumbers.TryParseInteger(c.Args[1], out long version))
                throw new KvException("ERR Protocol version is not an integer or out of range");
            if (version is < 2 or > 3) throw new KvException("NOPROTO unsupported protocol version");
            protocol = (int)version;
            i = 2;
        }
        string? name = null;
        for (; i < c.ArgCount; i++)
        {
            if (c.Args.Is(i, "AUTH"u8) && i + 2 < c.ArgCount)
            {
                if (!CheckPassword(c, c.Text(i + 1), c.Text(i + 2))) throw new KvException("WRONGPASS invalid username-password pair or user is disabled.");
                c.Client.Authenticated = true;
                i += 2;
            }
            else if (c.Args.Is(i, "SETNAME"u8) && i + 1 < c.ArgCount)
            {
                name = c.Text(i + 1);
                ClientCommands.ValidateName(name);
                i++;
            }
            else
            {
                throw new KvException($"ERR Syntax error in HELLO option '{c.Text(i)}'");
            }
        }
        if (!c.Client.Authenticated) throw new KvException("NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time");
        if (name != null) c.Client.Name = name;
        c.Client.Protocol = protocol;
        c.Reply.Protocol = protocol;
        var r = c.Reply;
        r.WriteMapHeader(7);
        r.WriteBulk("server"); r.WriteBulk("redis");
        r.WriteBulk("version"); r.WriteBulk(ServerCommands.CompatibleVersion);
        r.WriteBulk("proto"); r.WriteInteger(protocol);
        r.WriteBulk("id"); r.WriteInteger(c.Client.Id);
        r.WriteBulk("mode"); r.WriteBulk("standalone");
        r.WriteBulk("role"); r.WriteBulk("master");
        r.WriteBulk("modules"); r.WriteArrayHeader(0);
    }

    private static void Reset(CommandContext c)
    {
        c.Client.Transaction.Reset();
        c.Server.Watches.UnwatchAll(c.Client.Transaction);
        c.Server.PubSub.RemoveAll(c.Client);
        c.Server.Monitoring.Monitors.Remove(c.Client); // RESET leaves monitor mode, as in Redis
        c.Client.Database = 0;
        c.Client.Protocol = 2;
        c.Reply.Protocol = 2;
        c.Client.Name = null;
        c.Client.Authenticated = c.Server.Options.RequirePass == null;
        // As Redis's RESET: tracking off, replies on, no-evict off.
        if (c.Client.Tracking.Enabled) c.Server.Tracking.Disable(c.Client);
        c.Client.ReplyMode = ClientReplyMode.On;
        c.Client.NoEvict = false;
        c.Reply.WriteSimpleString("RESET");
    }
}

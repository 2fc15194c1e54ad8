using System.Buffers;
using TieredKv.Numbers;
using TieredKv.Server.Config;
using TieredKv.Server.Dispatch;
using TieredKv.Server.Network;
using TieredKv.Server.Protocol;
using static TieredKv.Server.Commands.KeyspaceEventCondition;

namespace TieredKv.Server.Commands;

/// <summary>
/// Keyspace notifications for write commands: a table of command → event and class, plus the
/// special cases Redis has (DEL, SET with a TTL, EXPIRE in the past, RENAME, MOVE, LMOVE...).
/// A notifying command runs with its reply captured, so the events can be judged from it and
/// published before the reply is written, as Redis orders them.
/// </summary>
internal sealed class KeyspaceEvents
{
    private const KeyspaceEventFlags G = KeyspaceEventFlags.Generic, S = KeyspaceEventFlags.String, L = KeyspaceEventFlags.List;
    private const KeyspaceEventFlags St = KeyspaceEventFlags.Set, H = KeyspaceEventFlags.Hash, Z = KeyspaceEventFlags.SortedSet;

    private static readonly Dictionary<string, KeyspaceEventRule> Table = new(StringComparer.Ordinal)
    {
        ["setnx"] = new("set", S, Changed),
        ["mset"] = new("set", S),
        ["msetnx"] = new("set", S, Changed),
        ["getset"] = new("set", S),
        ["append"] = new("append", S),
        ["setrange"] = new("setrange", S),
        ["incr"] = new("incrby", S),
        ["decr"] = new("incrby", S),
        ["incrby"] = new("incrby", S),
        ["decrby"] = new("incrby", S),
        ["incrbyfloat"] = new("incrbyfloat", S),
        ["getdel"] = new("del", G, Changed),
        ["persist"] = new("persist", G, Changed),
        ["restore"] = new("restore", G),
        ["lpush"] = new("lpush", L),
        ["rpush"] = new("rpush", L),
        ["lpushx"] = new("lpush", L, Changed),
        ["rpushx"] = new("rpush", L, Changed),
        ["linsert"] = new("linsert", L, Changed),
        ["lset"] = new("lset", L),
        ["ltrim"] = new("ltrim", L, Existed, DelWhenEmptied: true),
        ["lrem"] = new("lrem", L, Changed, DelWhenEmptied: true),
        ["lpop"] = new("lpop", L, Changed, DelWhenEmptied: true),
        ["rpop"] = new("rpop", L, Changed, DelWhenEmptied: true),
        ["hset"] = new("hset", H),
        ["hmset"] = new("hset", H),
        ["hsetnx"] = new("hset", H, Changed),
        ["hdel"] = new("hdel", H, Changed, DelWhenEmptied: true),
        ["hincrby"] = new("hincrby", H),
        ["hincrbyfloat"] = new("hincrbyfloat", H),
        ["sadd"] = new("sadd", St, Changed),
        ["srem"] = new("srem", St, Changed, DelWhenEmptied: true),
        ["spop"] = new("spop", St, Changed, DelWhenEmptied: true),
        ["sinterstore"] = new("sinterstore", St, Changed, FirstKeyOnly: true),
        ["sunionstore"] = new("sunionstore", St, Changed, FirstKeyOnly: true),
        ["sdiffstore"] = new("sdiffstore", St, Changed, FirstKeyOnly: true),
        ["zincrby"] = new("zincr", Z),
        ["zrem"] = new("zrem", Z, Changed, DelWhenEmptied: true),
        ["zremrangebyscore"] = new("zremrangebyscore", Z, Changed, DelWhenEmptied: true),
        ["zremrangebyrank"] = new("zremrangebyrank", Z, Changed, DelWhenEmptied: true),
        ["zremrangebylex"] = new("zremrangebylex", Z, Changed, DelWhenEmptied: true),
        ["zpopmin"] = new("zpopmin", Z, Changed, DelWhenEmptied: true),
        ["zpopmax"] = new("zpopmax", Z, Changed, DelWhenEmptied: true),
        ["zunionstore"] = new("zunionstore", Z, Changed, FirstKeyOnly: true),
        ["zinterstore"] = new("zinterstore", Z, Changed, FirstKeyOnly: true),
        ["zdiffstore"] = new("zdiffstore", Z, Changed, FirstKeyOnly: true),
    };

    /// <summary>Commands with their own logic below.</summary>
    private static readonly HashSet<string> Special = new(StringComparer.Ordinal)
    {
        "set", "setex", "psetex", "del", "unlink", "expire", "pexpire", "expireat", "pexpireat",
        "rename", "renamenx", "copy", "move", "zadd", "smove", "rpoplpush", "lmove",
    };

    private readonly CommandContext _outer;
    private readonly CommandSpec _spec;
    private readonly ArrayBufferWriter<byte> _captured = new();
    private readonly List<byte[]> _keys;
    private readonly bool[] _existed;
    private readonly List<double?>? _scoresBefore;

    private KeyspaceEvents(CommandContext outer, CommandSpec spec)
    {
        _outer = outer;
        _spec = spec;
        _keys = KeyPositions.Of(spec, outer.ArgCount).Select(outer.Arg).ToList();
        _existed = _keys.Select(k => outer.Db.Exists(k)).ToArray();
        if (spec.Name == "zadd" && _keys.Count > 0) _scoresBefore = ZAddMembers().Select(m => outer.Db.ZScore(_keys[0], m)).ToList();
        Inner = new CommandContext(outer.Server, outer.Client, outer.Args, new RespWriter(_captured) { Protocol = outer.Reply.Protocol });
    }

    /// <summary>The context to run the command with: same client and arguments, reply captured.</summary>
    public CommandContext Inner { get; }

    /// <summary>A notifier for this command, or null when notifications are off or it fires none.</summary>
    public static KeyspaceEvents? Begin(CommandContext context, CommandSpec spec)
    {
        if (context.Server.Options.NotifyKeyspaceEvents == KeyspaceEventFlags.None) return null;
        if (!spec.Flags.HasFlag(CommandFlags.Write) || !(Table.ContainsKey(spec.Name) || Special.Contains(spec.Name))) return null;
        return new KeyspaceEvents(context, spec);
    }

    /// <summary>Publishes the events (when the command succeeded), then writes the captured reply.</summary>
    public void Finish(bool succeeded)
    {
        try
        {
            if (succeeded && _outer.Client.PendingBlock == null) Fire();
        }
        finally
        {
            _outer.Reply.WriteRaw(_captured.WrittenSpan);
        }
    }

    private void Fire()
    {
        bool changed = ReplyChanged(_captured.WrittenSpan);
        if (Table.TryGetValue(_spec.Name, out var rule))
        {
            bool fire = rule.When switch { Changed => changed, Existed => _existed.Length > 0 && _existed[0], _ => true };
            if (!fire) return;
            int count = rule.FirstKeyOnly ? Math.Min(1, _keys.Count) : _keys.Count;
            for (int i = 0; i < count; i++)
            {
                Notify(rule.Class, rule.Event, _keys[i]);
                if (rule.DelWhenEmptied && !_outer.Db.Exists(_keys[i])) Notify(G, "del", _keys[i]);
            }
            return;
        }
        switch (_spec.Name)
        {
            case "set":
                bool withGet = HasOption("GET");
                if (!changed && !withGet) return;
                Notify(S, "set", _keys[0]);
                if (HasOption("EX") || HasOption("PX") || HasOption("EXAT") || HasOption("PXAT")) Notify(G, "expire", _keys[0]);
                break;
            case "setex" or "psetex":
                Notify(S, "set", _keys[0]);
                Notify(G, "expire", _keys[0]);
                break;
            case "del" or "unlink":
                for (int i = 0; i < _keys.Count; i++)
                    if (_existed[i] && !_outer.Db.Exists(_keys[i])) Notify(G, "del", _keys[i]);
                break;
            case "expire" or "pexpire" or "expireat" or "pexpireat":
                if (!changed) return;
                // A time in the past deletes the key.
                Notify(G, _outer.Db.Exists(_keys[0]) ? "expire" : "del", _keys[0]);
                break;
            case "rename" or "renamenx":
                if (!changed || _keys[0].AsSpan().SequenceEqual(_keys[1])) return;
                Notify(G, "rename_from", _keys[0]);
                Notify(G, "rename_to", _keys[1]);
                break;
            case "copy":
                if (changed) Notify(G, "copy_to", _keys[1]);
                break;
            case "move":
                if (!changed) return;
                Notify(G, "move_from", _keys[0]);
                KeyspaceNotifier.Notify(_outer.Server, _outer.Client, _outer.Reply, G, "move_to", _keys[0], (int)_outer.Integer(2));
                break;
            case "zadd":
                if (_captured.WrittenSpan.Length > 0 && IsNull(_captured.WrittenSpan)) return;
                if (HasOption("INCR")) Notify(Z, "zincr", _keys[0]);
                else if (!ZAddMembers().Select(m => _outer.Db.ZScore(_keys[0], m)).SequenceEqual(_scoresBefore!)) Notify(Z, "zadd", _keys[0]);
                break;
            case "smove":
                if (!changed || _keys[0].AsSpan().SequenceEqual(_keys[1])) return;
                Notify(St, "srem", _keys[0]);
                if (!_outer.Db.Exists(_keys[0])) Notify(G, "del", _keys[0]);
                Notify(St, "sadd", _keys[1]);
                break;
            case "rpoplpush" or "lmove":
                if (!changed) return;
                bool fromLeft = _spec.Name == "lmove" && _outer.Text(3).Equals("left", StringComparison.OrdinalIgnoreCase);
                bool toLeft = _spec.Name == "rpoplpush" || _outer.Text(4).Equals("left", StringComparison.OrdinalIgnoreCase);
                Notify(L, toLeft ? "lpush" : "rpush", _keys[1]);
                Notify(L, fromLeft ? "lpop" : "rpop", _keys[0]);
                if (!_outer.Db.Exists(_keys[0])) Notify(G, "del", _keys[0]);
                break;
        }
    }

    /// <summary>The members a ZADD names: every second argument after its option words.</summary>
    private IEnumerable<byte[]> ZAddMembers()
    {
        int i = 2;
        while (i < _outer.ArgCount && _outer.Text(i).ToUpperInvariant() is "NX" or "XX" or "GT" or "LT" or "CH" or "INCR") i++;
        for (i++; i < _outer.ArgCount; i += 2) yield return _outer.Arg(i);
    }

    private void Notify(KeyspaceEventFlags type, string eventName, byte[] key) =>
        KeyspaceNotifier.Notify(_outer.Server, _outer.Client, _outer.Reply, type, eventName, key, _outer.Client.Database);

    /// <summary>Whether an option word appears among the arguments after the key.</summary>
    private bool HasOption(string word)
    {
        for (int i = 2; i < _outer.ArgCount; i++)
            if (_outer.Text(i).Equals(word, StringComparison.OrdinalIgnoreCase)) return true;
        return false;
    }

    private static bool IsNull(ReadOnlySpan<byte> reply) =>
        reply.StartsWith("$-1\r\n"u8) || reply.StartsWith("*-1\r\n"u8) || reply.StartsWith("_\r\n"u8);

    /// <summary>False for an error, a null, an empty array and an integer below 1; true otherwise.</summary>
    private static bool ReplyChanged(ReadOnlySpan<byte> reply)
    {
        if (reply.IsEmpty || reply[0] == (byte)'-' || IsNull(reply)) return false;
        if (reply.StartsWith("*0\r\n"u8)) return false;
        if (reply[0] == (byte)':')
        {
            int end = reply.IndexOf((byte)'\r');
            return end > 1 && RedisNumbers.TryParseInteger(reply[1..end], out long n) && n > 0;
        }
        return true;
    }
}

using System.Text;
using TieredKv.Keyspace;
using TieredKv.Server.Blocking;
using TieredKv.Server.Commands.Arguments;
using TieredKv.Server.Dispatch;

namespace TieredKv.Server.Commands;

/// <summary>
/// XREAD and XREADGROUP (Redis's xreadCommand). With BLOCK and nothing to serve, the client is left a
/// <see cref="BlockRequest"/> on its keys, as the list blocking commands do; the IDs it resolved (<c>$</c>)
/// are kept on the client so that the command, run again when a key is written, waits for the same entries.
/// </summary>
internal static class StreamReadCommands
{
    /// <summary>Redis's XREAD_BLOCKED_DEFAULT_COUNT: a client served after blocking without COUNT gets at most this many.</summary>
    private const long BlockedDefaultCount = 1000;

    public static void Register(CommandTable t)
    {
        t.Add(new("xread", -4, CommandFlags.ReadOnly, 0, 0, 0, c => Read(c, group: false)));
        t.Add(new("xreadgroup", -7, CommandFlags.Write, 0, 0, 0, c => Read(c, group: true)));
    }

    private sealed record Request(long Timeout, long Count, bool NoAck, byte[]? Group, byte[]? Consumer, int StreamsAt, int Streams);

    private static Request Parse(CommandContext c, bool group)
    {
        long timeout = -1, count = 0;
        bool noAck = false;
        byte[]? groupName = null, consumer = null;
        int streamsAt = 0, streams = 0;
        string name = c.Text(0);
        for (int i = 1; i < c.ArgCount; i++)
        {
            int more = c.ArgCount - i - 1;
            if (c.Args.Is(i, "BLOCK"u8) && more > 0)
            {
                if (c.Client.InScript) throw new KvException($"ERR {name} command is not allowed with BLOCK option from scripts");
                timeout = c.Integer(++i, "ERR timeout is not an integer or out of range");
                if (timeout < 0) throw new KvException("ERR timeout is negative");
            }
            else if (c.Args.Is(i, "COUNT"u8) && more > 0)
            {
                count = Math.Max(0, c.Integer(++i));
            }
            else if (c.Args.Is(i, "STREAMS"u8) && more > 0)
            {
                streamsAt = i + 1;
                streams = c.ArgCount - streamsAt;
                if (streams % 2 != 0)
                    throw new KvException("ERR Unbalanced XREAD list of streams: for each stream key an ID or '$' must be specified.");
                streams /= 2;
                break;
            }
            else if (c.Args.Is(i, "GROUP"u8) && more >= 2)
            {
                if (!group) throw new KvException("ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead.");
                groupName = c.Arg(i + 1);
                consumer = c.Arg(i + 2);
                i += 2;
            }
            else if (c.Args.Is(i, "NOACK"u8))
            {
                if (!group) throw new KvException("ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead.");
                noAck = true;
            }
            else throw CommandContext.Syntax();
        }
        if (streamsAt == 0) throw CommandContext.Syntax();
        if (group && groupName == null) throw new KvException("ERR Missing GROUP option for XREADGROUP");
        return new Request(timeout, count, noAck, groupName, consumer, streamsAt, streams);
    }

    /// <summary>Each stream's ID as Redis resolves it, key by key: null stands for XREADGROUP's <c>&gt;</c>.</summary>
    private static StreamId?[] ResolveIds(CommandContext c, Request r)
    {
        var ids = new StreamId?[r.Streams];
        for (int k = 0; k < r.Streams; k++)
        {
            var key = c.Args[r.StreamsAt + k];
            var text = c.Args[r.StreamsAt + r.Streams + k];
            if (r.Group != null)
            {
                if (!c.Db.XGroupExists(key, r.Group))
                    throw new KvException($"NOGROUP No such key '{Encoding.UTF8.GetString(key)}' or consumer group '{Encoding.UTF8.GetString(r.Group)}' in XREADGROUP with GROUP option");
            }
            else if (!text.SequenceEqual("$"u8) && c.Db.Type(key) is not (KeyType.None or KeyType.Stream))
                throw new WrongTypeException(); // for $ the lookup of the last ID checks the type (one lookup, as Redis counts)
            if (text.SequenceEqual("$"u8))
            {
                if (r.Group != null)
                    throw new KvException("ERR The $ ID is meaningless in the context of XREADGROUP: you want to read the history of this consumer by specifying a proper ID, or use the > ID to get new messages. The $ ID would just return an empty result set.");
                ids[k] = c.Db.XLastId(key);
            }
            else if (text.SequenceEqual(">"u8))
            {
                if (r.Group == null)
                    throw new KvException("ERR The > ID can be specified only when calling XREADGROUP using the GROUP <group> <consumer> option.");
                ids[k] = null;
            }
            else ids[k] = StreamIdArguments.Strict(text, 0);
        }
        return ids;
    }

    private static void Read(CommandContext c, bool group)
    {
        long generation = c.Server.Blocked.Generation;
        var r = Parse(c, group);
        var client = c.Client;
        bool retry = client.BlockDeadline != null && client.BlockedStreamIds != null;
        var ids = retry ? client.BlockedStreamIds! : ResolveIds(c, r);
        long count = retry && r.Count == 0 ? BlockedDefaultCount : r.Count;

        var served = new List<(int Key, IReadOnlyList<(StreamId Id, IReadOnlyList<byte[]>? Fields)> Entries)>();
        for (int k = 0; k < r.Streams; k++)
        {
            var key = c.Args[r.StreamsAt + k];
            if (r.Group != null)
            {
                // Woken, a group reader whose stream was deleted or overwritten, or whose group was destroyed, gets Redis 7.0's errors.
                if (retry)
                {
                    if (c.Db.Type(key) != KeyType.Stream) throw new KvException("UNBLOCKED the stream key no longer exists");
                    if (!c.Db.XGroupExists(key, r.Group)) throw new KvException("NOGROUP the consumer group this client was blocked on no longer exists");
                }
                var delivered = c.Db.XReadGroup(key, r.Group, r.Consumer!, ids[k], count, r.NoAck);
                if (delivered != null) served.Add((k, delivered));
            }
            else
            {
                if (retry && c.Db.Type(key) is not (KeyType.Stream or KeyType.None)) continue; // Redis serves stream keys only: the reader waits on
                var entries = c.Db.XReadAfter(key, ids[k]!.Value, count);
                if (entries.Count > 0) served.Add((k, entries.ConvertAll(e => (e.Id, (IReadOnlyList<byte[]>?)e.FieldsAndValues))));
            }
        }
        if (served.Count > 0)
        {
            // Redis serves every client blocked on a stream that has entries for it, not only the first: the next
            // waiter runs again too (and blocks again at its place when nothing is left for it).
            if (retry)
                foreach (var (k, _) in served) c.Server.Blocked.Signal(client.Database, c.Args[r.StreamsAt + k]);
            if (c.Reply.IsResp3) c.Reply.WriteMapHeader(served.Count);
            else c.Reply.WriteArrayHeader(served.Count);
            foreach (var (k, entries) in served)
            {
                if (!c.Reply.IsResp3) c.Reply.WriteArrayHeader(2);
                c.Reply.WriteBulk(c.Args[r.StreamsAt + k]);
                WriteDeliveries(c, entries);
            }
            return;
        }
        c.ChangedNothing = true;
        if (r.Timeout == -1 || client.Transaction.InMulti || client.Transaction.InExec)
        {
            c.Reply.WriteNullArray();
            return;
        }
        long now = Environment.TickCount64;
        client.BlockDeadline ??= r.Timeout == 0 ? 0 : now + r.Timeout;
        if (client.BlockDeadline != 0 && now >= client.BlockDeadline)
        {
            c.Reply.WriteNullArray();
            return;
        }
        client.BlockedStreamIds = ids;
        var keys = new List<byte[]>(r.Streams);
        for (int k = 0; k < r.Streams; k++) keys.Add(c.Arg(r.StreamsAt + k));
        client.PendingBlock = new BlockRequest(client.Database, keys, generation);
    }

    /// <summary>Entries as [ID, [field, value …]], an entry deleted since its delivery as [ID, nil].</summary>
    internal static void WriteDeliveries(CommandContext c, IReadOnlyList<(StreamId Id, IReadOnlyList<byte[]>? Fields)> entries)
    {
        c.Reply.WriteArrayHeader(entries.Count);
        foreach (var (id, fields) in entries)
        {
            c.Reply.WriteArrayHeader(2);
            c.Reply.WriteBulk(id.ToString());
            if (fields == null) c.Reply.WriteNullArray();
            else c.Reply.WriteBulkArray((IReadOnlyCollection<byte[]>)fields);
        }
    }
}

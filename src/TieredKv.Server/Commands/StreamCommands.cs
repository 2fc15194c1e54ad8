using TieredKv.Keyspace;
using TieredKv.Server.Commands.Arguments;
using TieredKv.Server.Dispatch;

namespace TieredKv.Server.Commands;

/// <summary>The stream commands on entries (Redis's t_stream.c): XADD, XRANGE, XREVRANGE, XLEN, XDEL, XTRIM, XSETID.</summary>
internal static class StreamCommands
{
    public static void Register(CommandTable t)
    {
        const CommandFlags WriteFast = CommandFlags.Write | CommandFlags.Fast;
        t.Add(new("xadd", -5, WriteFast, 1, 1, 1, XAdd));
        t.Add(new("xrange", -4, CommandFlags.ReadOnly, 1, 1, 1, c => XRange(c, reverse: false)));
        t.Add(new("xrevrange", -4, CommandFlags.ReadOnly, 1, 1, 1, c => XRange(c, reverse: true)));
        t.Add(new("xlen", 2, CommandFlags.ReadOnly | CommandFlags.Fast, 1, 1, 1, c => c.Reply.WriteInteger(c.Db.XLen(c.Args[1]))));
        t.Add(new("xdel", -3, WriteFast, 1, 1, 1, XDel));
        t.Add(new("xtrim", -4, CommandFlags.Write, 1, 1, 1, XTrim));
        t.Add(new("xsetid", -3, WriteFast, 1, 1, 1, XSetId));
    }

    private static void XAdd(CommandContext c)
    {
        var options = StreamTrimArguments.Parse(c, xadd: true);
        int fields = options.IdIndex + 1;
        if (c.ArgCount - fields < 2 || (c.ArgCount - fields) % 2 == 1) throw CommandContext.WrongArity("xadd");
        var (id, seqGiven) = StreamIdArguments.ForAdd(c.Args[options.IdIndex]);
        var added = c.Db.XAdd(c.Args[1], id, seqGiven, c.ArgList(fields), options.NoMkStream, options.Trim);
        if (added is { } newId) c.Reply.WriteBulk(newId.ToString());
        else
        {
            c.Reply.WriteNull();
            c.ChangedNothing = true;
        }
    }

    private static void XRange(CommandContext c, bool reverse)
    {
        var (start, end) = reverse ? StreamIdArguments.Range(c.Args[3], c.Args[2]) : StreamIdArguments.Range(c.Args[2], c.Args[3]);
        long count = -1;
        for (int i = 4; i < c.ArgCount; i++)
        {
            if (c.Args.Is(i, "COUNT"u8) && i + 1 < c.ArgCount)
            {
                count = Math.Max(0, c.Integer(++i));
            }
            else throw CommandContext.Syntax();
        }
        if (count == 0)
        {
            // Redis looks the key up (an empty array when missing) before answering a zero COUNT with a null array.
            var none = c.Db.XRange(c.Args[1], StreamId.Max, StreamId.Min);
            if (none == null) c.Reply.WriteArrayHeader(0);
            else c.Reply.WriteNullArray();
            return;
        }
        var entries = c.Db.XRange(c.Args[1], start, end, count == -1 ? 0 : count, reverse);
        WriteEntries(c, entries ?? []);
    }

    private static void XDel(CommandContext c)
    {
        var ids = new List<StreamId>(c.ArgCount - 2);
        for (int i = 2; i < c.ArgCount; i++) ids.Add(StreamIdArguments.Strict(c, i));
        long deleted = c.Db.XDel(c.Args[1], ids);
        c.ChangedNothing = deleted == 0;
        c.Reply.WriteInteger(deleted);
    }

    private static void XTrim(CommandContext c)
    {
        var options = StreamTrimArguments.Parse(c, xadd: false);
        long deleted = c.Db.XTrim(c.Args[1], options.Trim);
        c.ChangedNothing = deleted == 0;
        c.Reply.WriteInteger(deleted);
    }

    private static void XSetId(CommandContext c)
    {
        var id = StreamIdArguments.Strict(c, 2);
        long entriesAdded = -1;
        StreamId maxDeleted = default;
        for (int i = 3; i < c.ArgCount;)
        {
            int more = c.ArgCount - 1 - i;
            if (c.Args.Is(i, "ENTRIESADDED"u8) && more > 0)
            {
                entriesAdded = c.Integer(i + 1);
                if (entriesAdded < 0) throw new KvException("ERR entries_added must be positive");
                i += 2;
            }
            else if (c.Args.Is(i, "MAXDELETEDID"u8) && more > 0)
            {
                maxDeleted = StreamIdArguments.Strict(c, i + 1);
                if (id < maxDeleted) throw new KvException("ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id");
                i += 2;
            }
            else throw CommandContext.Syntax();
        }
        c.Db.XSetId(c.Args[1], id, entriesAdded, maxDeleted);
        c.ChangedNothing = true; // Redis's XSETID signals no modified key: WATCH and blocked readers are not told
        c.Reply.WriteOk();
    }

    /// <summary>Entries as Redis replies them: an array of [ID, [field, value, …]].</summary>
    internal static void WriteEntries(CommandContext c, IReadOnlyList<StreamEntry> entries)
    {
        c.Reply.WriteArrayHeader(entries.Count);
        foreach (var entry in entries) WriteEntry(c, entry);
    }

    internal static void WriteEntry(CommandContext c, StreamEntry entry)
    {
        c.Reply.WriteArrayHeader(2);
        c.Reply.WriteBulk(entry.Id.ToString());
        c.Reply.WriteBulkArray((IReadOnlyCollection<byte[]>)entry.FieldsAndValues);
    }
}

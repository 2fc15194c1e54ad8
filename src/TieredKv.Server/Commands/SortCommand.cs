using TieredKv.Keyspace;
using TieredKv.Server.Dispatch;

namespace TieredKv.Server.Commands;

/// <summary>SORT and SORT_RO: options parsed as Redis's sortCommandGeneric does; the semantics are the library's (<see cref="SortOperations"/>).</summary>
internal static class SortCommand
{
    public static void Register(CommandTable t)
    {
        t.Add(new("sort", -2, CommandFlags.Write, 1, 1, 1, c => Sort(c, readOnly: false)));
        t.Add(new("sort_ro", -2, CommandFlags.ReadOnly, 1, 1, 1, c => Sort(c, readOnly: true)));
    }

    private static void Sort(CommandContext c, bool readOnly)
    {
        var (spec, destination) = Parse(c, readOnly);
        // The source is only read; the dispatcher would count a change and touch it: a STORE reports its destination itself below.
        c.ChangedNothing = true;
        if (destination == null)
        {
            var values = c.Db.Sort(c.Args[1], spec);
            c.Reply.WriteArrayHeader(values.Count);
            foreach (var v in values) c.Reply.WriteBulkOrNull(v);
            return;
        }
        long stored = c.Db.SortStore(c.Args[1], spec, destination);
        c.Server.Saver.CountChange();
        c.Server.Watches.Touch(c.Client.Database, destination);
        c.Server.Blocked.Signal(c.Client.Database, destination);
        c.Reply.WriteInteger(stored);
    }

    private static (SortSpec Spec, byte[]? Destination) Parse(CommandContext c, bool readOnly)
    {
        byte[]? by = null, destination = null;
        bool noSort = false, descending = false, alpha = false;
        long offset = 0, count = -1;
        var get = new List<byte[]>();
        for (int i = 2; i < c.ArgCount; i++)
        {
            int left = c.ArgCount - i - 1;
            if (c.Args.Is(i, "ASC"u8)) descending = false;
            else if (c.Args.Is(i, "DESC"u8)) descending = true;
            else if (c.Args.Is(i, "ALPHA"u8)) alpha = true;
            else if (c.Args.Is(i, "LIMIT"u8) && left >= 2)
            {
                offset = c.Integer(i + 1);
                count = c.Integer(i + 2);
                i += 2;
            }
            else if (!readOnly && c.Args.Is(i, "STORE"u8) && left >= 1) destination = c.Arg(++i);
            else if (c.Args.Is(i, "BY"u8) && left >= 1)
            {
                by = c.Arg(++i);
                // A pattern without '*' names one key for every element: nothing to sort by, as "BY nosort".
                if (by.AsSpan().IndexOf((byte)'*') < 0) noSort = true;
            }
            else if (c.Args.Is(i, "GET"u8) && left >= 1) get.Add(c.Arg(++i));
            else throw CommandContext.Syntax();
        }
        var spec = new SortSpec { By = by, NoSort = noSort, Descending = descending, Alpha = alpha, Offset = offset, Count = count, Get = get };
        return (spec, destination);
    }
}

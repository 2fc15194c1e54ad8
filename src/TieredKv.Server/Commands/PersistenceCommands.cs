using TieredKv.Keyspace;
using TieredKv.Rdb;
using TieredKv.Server.Dispatch;
using TieredKv.Server.Persistence;
using TieredKv.Server.Scripting;

namespace TieredKv.Server.Commands;

/// <summary>DUMP, RESTORE, SAVE, BGSAVE, LASTSAVE: Redis's DUMP payloads and RDB files (see format-spec/rdb.md).</summary>
internal static class PersistenceCommands
{
    /// <summary>Registers the commands; <paramref name="scripts"/> holds the function libraries an RDB file carries.</summary>
    public static void Register(CommandTable t, ScriptRunner scripts)
    {
        t.Add(new("dump", 2, CommandFlags.ReadOnly, 1, 1, 1, Dump));
        t.Add(new("restore", -4, CommandFlags.Write, 1, 1, 1, Restore));
        // What a cluster node sends while a slot migrates; without cluster mode the same as RESTORE.
        t.Add(new("restore-asking", -4, CommandFlags.Write, 1, 1, 1, Restore));
        t.Add(new("save", 1, CommandFlags.Admin | CommandFlags.NoMulti, 0, 0, 0, c => Save(c, scripts)));
        t.Add(new("bgsave", -1, CommandFlags.Admin, 0, 0, 0, c => BackgroundSave(c, scripts)));
        t.Add(new("lastsave", 1, CommandFlags.Fast, 0, 0, 0, c => c.Reply.WriteInteger(c.Server.Saver.LastSaveUnixSeconds)));
    }

    private static void Dump(CommandContext c)
    {
        c.Reply.WriteBulkOrNull(KeyspaceDump.Dump(c.Db, c.Arg(1)));
    }

    /// <summary>RESTORE key ttl payload [REPLACE] [ABSTTL] [IDLETIME s] [FREQ f], checked in Redis's order.</summary>
    internal static void Restore(CommandContext c)
    {
        bool replace = false, absolute = false;
        long idle = -1, freq = -1;
        for (int i = 4; i < c.ArgCount; i++)
        {
            bool hasValue = i + 1 < c.ArgCount;
            if (c.Args.Is(i, "REPLACE"u8)) replace = true;
            else if (c.Args.Is(i, "ABSTTL"u8)) absolute = true;
            else if (c.Args.Is(i, "IDLETIME"u8) && hasValue && freq == -1)
            {
                idle = c.Integer(++i);
                if (idle < 0) throw new KvException("ERR Invalid IDLETIME value, must be >= 0");
            }
            else if (c.Args.Is(i, "FREQ"u8) && hasValue && idle == -1)
            {
                freq = c.Integer(++i);
                if (freq is < 0 or > 255) throw new KvException("ERR Invalid FREQ value, must be >= 0 and <= 255");
            }
            else throw CommandContext.Syntax();
        }
        byte[] key = c.Arg(1);
        if (!replace && c.Db.Exists(key)) throw new KvException("BUSYKEY Target key name already exists.");
        long ttl = c.Integer(2);
        if (ttl < 0) throw new KvException("ERR Invalid TTL value, must be >= 0");
        long? expireAt = ttl == 0 ? null : absolute ? ttl : c.Server.Store.Options.Clock.GetUtcNow().ToUnixTimeMilliseconds() + ttl;
        // IDLETIME and FREQ are validated but not applied: access statistics are not part of an imported key.
        KeyspaceDump.Restore(c.Db, key, c.Arg(3), expireAt, replace);
        c.Reply.WriteOk();
    }

    private static void Save(CommandContext c, ScriptRunner scripts)
    {
        c.Server.Saver.Save(scripts.LibraryCodes(c));
        c.Reply.WriteOk();
    }

    private static void BackgroundSave(CommandContext c, ScriptRunner scripts)
    {
        bool schedule = false;
        if (c.ArgCount > 1)
        {
            if (c.ArgCount == 2 && c.Args.Is(1, "SCHEDULE"u8)) schedule = true;
            else throw CommandContext.Syntax();
        }
        if (!c.Server.Saver.TryStartBackground(schedule, scripts.LibraryCodes(c), out bool scheduled)) throw new KvException(RdbSaver.AlreadyInProgress);
        c.Reply.WriteSimpleString(scheduled ? "Background saving scheduled" : "Background saving started");
    }
}

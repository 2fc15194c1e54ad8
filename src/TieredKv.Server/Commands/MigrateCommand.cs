using System.Buffers;
using System.Globalization;
using System.Text;
using TieredKv.Keyspace;
using TieredKv.Rdb;
using TieredKv.Server.Dispatch;

namespace TieredKv.Server.Commands;

/// <summary>
/// MIGRATE host port key|"" destination-db timeout [COPY] [REPLACE] [AUTH password | AUTH2 username password] [KEYS key …]:
/// sends each key that exists here to another server as RESTORE with its DUMP payload and remaining TTL, and deletes
/// the ones the target accepted unless COPY. Redis blocks its whole server meanwhile; ours talks to the target
/// asynchronously: the command leaves the transfer on the client (as CLIENT PAUSE holds a command back), the
/// connection waits for it without a thread, and the command run again finishes it (deletes and replies). Other
/// clients are served meanwhile, so unlike Redis another client may change a key between the two runs.
/// A connection is opened per MIGRATE (Redis caches them for 10 seconds; nothing a client sees depends on it).
/// </summary>
internal static class MigrateCommand
{
    public static void Register(CommandTable t)
    {
        t.Add(new("migrate", -6, CommandFlags.Write, 3, 3, 1, Migrate));
    }

    /// <summary>A MIGRATE waiting for its target: the keys sent, in order, and the target's replies to come.</summary>
    internal sealed record InFlight(List<byte[]> Keys, bool Copy, Task<MigrateTransfer.Outcome> Transfer);

    private static void Migrate(CommandContext c)
    {
        if (c.Client.PendingMigration is { } inFlight)
        {
            // Run again once the target answered (the transfer never faults: failures are in its outcome).
            c.Client.PendingMigration = null;
            Finish(c, inFlight.Keys, inFlight.Copy, inFlight.Transfer.Result);
            return;
        }
        bool copy = false, replace = false;
        string? user = null, password = null;
        int firstKey = 3, keyCount = 1;
        for (int j = 6; j < c.ArgCount; j++)
        {
            int more = c.ArgCount - 1 - j;
            if (c.Args.Is(j, "COPY"u8)) copy = true;
            else if (c.Args.Is(j, "REPLACE"u8)) replace = true;
            else if (c.Args.Is(j, "AUTH"u8))
            {
                if (more < 1) throw CommandContext.Syntax();
                password = c.Text(++j);
            }
            else if (c.Args.Is(j, "AUTH2"u8))
            {
                if (more < 2) throw CommandContext.Syntax();
                user = c.Text(++j);
                password = c.Text(++j);
            }
            else if (c.Args.Is(j, "KEYS"u8))
            {
                if (c.Args[3].Length != 0) throw new KvException("ERR When using MIGRATE KEYS option, the key argument must be set to the empty string");
                firstKey = j + 1;
                keyCount = c.ArgCount - j - 1;
                break;
            }
            else throw CommandContext.Syntax();
        }
        long timeout = c.Integer(5);
        long database = c.Integer(4);
        if (timeout <= 0) timeout = 1000;

        var keys = new List<byte[]>();
        var request = new RequestBuilder();
        if (password != null) request.Command(user == null ? ["AUTH", password] : ["AUTH", user, password]);
        request.Command(["SELECT", database.ToString(CultureInfo.InvariantCulture)]);
        long now = c.Server.Store.Options.Clock.GetUtcNow().ToUnixTimeMilliseconds();
        for (int k = firstKey; k < firstKey + keyCount; k++)
        {
            if (c.Db.ReadKey(c.Args[k]) is not { } key) continue;
            long ttl = 0;
            if (key.ExpireAtUnixMs is { } expireAt)
            {
                ttl = expireAt - now;
                if (ttl < 0) continue;
                ttl = Math.Max(ttl, 1);
            }
            keys.Add(key.Key);
            request.Restore(key.Key, ttl, KeyspaceDump.Encode(key), replace);
        }
        if (keys.Count == 0)
        {
            c.Reply.WriteSimpleString("NOKEY");
            return;
        }
        string host = c.Text(1), port = c.Text(2);
        int preludeReplies = password != null ? 2 : 1;
        var transfer = MigrateTransfer.RunAsync(host, port, request.ToArray(), preludeReplies, keys.Count, TimeSpan.FromMilliseconds(timeout));
        if (c.Client.Transaction.InMulti || c.Client.Transaction.InExec)
        {
            // Inside EXEC the command cannot be run again later: wait here, as Redis does for every MIGRATE.
            Finish(c, keys, copy, transfer.GetAwaiter().GetResult());
            return;
        }
        c.Client.PendingMigration = new InFlight(keys, copy, transfer);
        c.Client.PendingPause = transfer;
    }

    /// <summary>
    /// Redis's reading of the replies: the first error (of AUTH, SELECT or a RESTORE) is answered, prefixed; every key
    /// whose RESTORE the target accepted, with no AUTH or SELECT error, is deleted here unless COPY; +OK without errors.
    /// </summary>
    private static void Finish(CommandContext c, List<byte[]> keys, bool copy, MigrateTransfer.Outcome outcome)
    {
        if (outcome.Failure is { } failure && outcome.Replies.Count == 0)
        {
            c.Reply.WriteError(failure);
            return;
        }
        string? preludeError = outcome.Prelude.FirstOrDefault(r => r.StartsWith('-'));
        string? targetError = null;
        for (int i = 0; i < outcome.Replies.Count; i++)
        {
            string reply = outcome.Replies[i];
            string? error = preludeError ?? (reply.StartsWith('-') ? reply : null);
            if (error != null) targetError ??= error;
            else if (!copy) c.Db.Delete(keys[i]);
        }
        if (targetError != null) c.Reply.WriteError("ERR Target instance replied with error: " + targetError[1..]);
        else c.Reply.WriteOk();
    }

    /// <summary>The commands sent to the target, in RESP.</summary>
    private sealed class RequestBuilder
    {
        private readonly ArrayBufferWriter<byte> _buffer = new();

        public void Command(string[] words) => Array(words.Select(Encoding.UTF8.GetBytes).ToArray());

        public void Restore(byte[] key, long ttl, byte[] payload, bool replace)
        {
            byte[][] words = [Encoding.ASCII.GetBytes("RESTORE"), key, Encoding.ASCII.GetBytes(ttl.ToString(CultureInfo.InvariantCulture)), payload];
            Array(replace ? [.. words, Encoding.ASCII.GetBytes("REPLACE")] : words);
        }

        private void Array(byte[][] words)
        {
            Text($"*{words.Length}\r\n");
            foreach (var word in words)
            {
                Text($"${word.Length}\r\n");
                _buffer.Write(word);
                Text("\r\n");
            }
        }

        private void Text(string s) => _buffer.Write(Encoding.ASCII.GetBytes(s));

        public byte[] ToArray() => _buffer.WrittenSpan.ToArray();
    }
}

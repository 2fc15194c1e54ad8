using TieredKv.Rdb;
using TieredKv.Client;
using TieredKv.Tools.Resp;

namespace TieredKv.Tools;

/// <summary>
/// Loads an RDB file into a running server over RESP: each key becomes <c>RESTORE key abs-ms payload [REPLACE] ABSTTL</c>
/// and the function libraries one <c>FUNCTION RESTORE payload [REPLACE]</c>;
/// pipelined with at most <see cref="Window"/> commands awaiting their replies. The caller verifies the file first;
/// a reply error fails only its key.
/// </summary>
public static class ServerRestore
{
    public const int Window = 256;

    public static ServerRestoreResult Restore(RespConnection client, Stream rdb, bool replace)
    {
        int databases = ServerArguments.CountDatabases(client);
        var reader = new RdbReader(rdb);
        var pending = new Queue<string?>(); // what each reply answers: a key's description, or null for SELECT
        var failures = new List<string>();
        long restored = 0, expired = 0;
        int selected = -1;

        void ReadReplies(int leave)
        {
            while (pending.Count > leave)
            {
                string? what = pending.Dequeue();
                var reply = client.Read();
                if (what == null)
                {
                    if (reply.IsError) throw new RespException($"SELECT failed: {reply.Text}");
                }
                else if (reply.IsError) failures.Add($"{what}: {reply.Text}");
                else restored++;
            }
        }

        while (reader.TryReadNext(out RdbEntry? entry))
        {
            string what = $"db {entry.Db} key {Format.Key(entry.Key)}";
            if (entry.Db >= databases)
            {
                failures.Add($"{what}: the server has only {databases} databases");
                continue;
            }
            // RESTORE with a past ABSTTL replies OK and stores nothing: say so instead of counting it restored.
            if (entry.ExpireAtUnixMs is long at && at <= DateTimeOffset.UtcNow.ToUnixTimeMilliseconds())
            {
                expired++;
                continue;
            }
            byte[]? payload = RdbValueCopy.ToPayload(entry.Value);
            if (payload == null)
            {
                failures.Add($"{what}: empty collection");
                continue;
            }
            if (entry.Db != selected)
            {
                client.Send("SELECT", entry.Db);
                pending.Enqueue(null);
                selected = entry.Db;
            }
            object[] args = replace
                ? ["RESTORE", entry.Key, entry.ExpireAtUnixMs ?? 0, payload, "REPLACE", "ABSTTL"]
                : ["RESTORE", entry.Key, entry.ExpireAtUnixMs ?? 0, payload, "ABSTTL"];
            client.Send(args);
            pending.Enqueue(what);
            if (pending.Count >= Window) ReadReplies(Window / 2);
        }
        ReadReplies(0);
        int libraries = RestoreFunctionLibraries(client, reader.FunctionLibraries, replace, failures);
        foreach (var skipped in reader.SkippedKeys)
            failures.Add($"db {skipped.Db} key {Format.Key(skipped.Key)}: {skipped.Reason}");
        return new ServerRestoreResult(restored, expired, failures, libraries);
    }

    /// <summary>FUNCTION RESTORE of the file's libraries, all or none (REPLACE when keys are replaced); answers how many were restored.</summary>
    private static int RestoreFunctionLibraries(RespConnection client, IReadOnlyList<byte[]> libraries, bool replace, List<string> failures)
    {
        if (libraries.Count == 0) return 0;
        byte[] payload = FunctionsPayload.Encode(libraries);
        var reply = replace ? client.Call("FUNCTION", "RESTORE", payload, "REPLACE") : client.Call("FUNCTION", "RESTORE", payload);
        if (!reply.IsError) return libraries.Count;
        failures.Add($"{libraries.Count} function libraries: {reply.Text}");
        return 0;
    }
}

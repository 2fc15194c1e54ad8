using System.Text;
using TieredKv.Keyspace;
using TieredKv.Rdb;
using TieredKv.Client;
using TieredKv.Tools.Resp;

namespace TieredKv.Tools;

/// <summary>
/// Copies every database of a running server into an RDB file over RESP: SCAN each database, pipeline
/// <c>DUMP</c> and <c>PTTL</c> for each batch of keys, decode the payloads and write them with <see cref="RdbWriter"/>, after the function libraries (FUNCTION DUMP).
/// Unlike SAVE it is not a point-in-time copy: keys written while it runs may or may not be in it.
/// </summary>
public static class ServerDump
{
    private const int ScanCount = 1000;
    private const int PipelineKeys = 128;

    public static ServerDumpResult Dump(RespConnection client, Stream output, Func<long, ProgressDisplay> startProgress)
    {
        int databases = ServerArguments.CountDatabases(client);
        var sizes = new long[databases];
        for (int db = 0; db < databases; db++)
        {
            client.CallOrThrow("SELECT", db);
            sizes[db] = client.CallOrThrow("DBSIZE").Integer;
        }
        var progress = startProgress(sizes.Sum());
        var libraries = FunctionLibraries(client);
        var writer = new RdbWriter(output, new RdbWriterOptions { FunctionLibraries = libraries });
        var perType = new Dictionary<KeyType, long>();
        var failures = new List<string>();
        long keys = 0;
        for (int db = 0; db < databases; db++)
        {
            if (sizes[db] == 0) continue;
            client.CallOrThrow("SELECT", db);
            writer.SelectDatabase(db, sizes[db], 0);
            // SCAN may return a key twice; a file with a duplicate key does not load. Latin-1 keeps every byte.
            var seen = new HashSet<string>(StringComparer.Ordinal);
            string cursor = "0";
            do
            {
                var page = client.CallOrThrow("SCAN", cursor, "COUNT", ScanCount);
                if (page.Items is not [{ Bulk: { } next }, { Items: { } found }]) throw new RespException($"SCAN replied {page}");
                cursor = Encoding.ASCII.GetString(next);
                var fresh = found.Select(k => k.Bulk!).Where(k => seen.Add(Encoding.Latin1.GetString(k))).ToList();
                // Bounded pipelines: the server holds every unread reply, and DUMP replies can be whole large values.
                foreach (var batch in fresh.Chunk(PipelineKeys))
                {
                    foreach (var key in batch)
                    {
                        client.Send("DUMP", key);
                        client.Send("PTTL", key);
                    }
                    client.Flush();
                    foreach (var key in batch)
                    {
                        var payload = client.Read();
                        var ttl = client.Read();
                        long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
                        if (payload.IsError || ttl.IsError)
                        {
                            failures.Add($"db {db} key {Format.Key(key)}: {(payload.IsError ? payload : ttl).Text}");
                            continue;
                        }
                        if (payload.Bulk == null || ttl.Integer == -2) continue; // deleted or expired since SCAN saw it
                        RdbValue value;
                        try
                        {
                            value = DumpPayload.Decode(payload.Bulk);
                        }
                        catch (DumpPayloadException e)
                        {
                            failures.Add($"db {db} key {Format.Key(key)}: {e.Message}");
                            continue;
                        }
                        if (!RdbValueCopy.WriteTo(writer, key, value, ttl.Integer >= 0 ? now + ttl.Integer : null)) continue;
                        perType[value.Type] = perType.GetValueOrDefault(value.Type) + 1;
                        keys++;
                    }
                    progress.Update(keys);
                }
            } while (cursor != "0");
        }
        writer.Finish();
        progress.Finish();
        return new ServerDumpResult(keys, writer.BytesWritten, perType, failures, libraries.Count);
    }

    /// <summary>The server's function libraries (FUNCTION DUMP); none from a server older than Redis 7, which has no functions.</summary>
    private static List<byte[]> FunctionLibraries(RespConnection client)
    {
        var reply = client.Call("FUNCTION", "DUMP");
        if (reply.IsError)
        {
            if ((reply.Text ?? "").StartsWith("ERR unknown command", StringComparison.Ordinal)) return [];
            throw new RespException($"FUNCTION DUMP failed: {reply.Text}");
        }
        return FunctionsPayload.Decode(reply.Bulk ?? throw new RespException($"FUNCTION DUMP replied {reply}"));
    }
}

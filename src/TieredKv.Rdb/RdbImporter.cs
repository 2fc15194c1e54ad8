using TieredKv.Keyspace;

namespace TieredKv.Rdb;

/// <summary>
/// Loads an RDB file into a store key by key, each through a <see cref="KeyImport"/> so memory stays bounded
/// whatever the size of a collection. Keys the store cannot hold (streams, modules, a database number beyond
/// the store's) and keys already expired are skipped and reported, as Redis drops expired keys when loading.
/// </summary>
public static class RdbImporter
{
    /// <summary>The <see cref="RdbSkippedKey.Reason"/>s of keys Redis would drop too when loading, so tools need not count them as failures.</summary>
    public const string AlreadyExpired = "already expired", EmptyCollection = "empty collection";

    public static RdbImportResult Import(Stream input, TieredKvStore store, RdbImportOptions? options = null, CancellationToken cancellation = default)
    {
        options ??= new RdbImportOptions();
        if (options.VerifyFirst)
        {
            if (!input.CanSeek) throw new ArgumentException("verifying first needs a seekable stream", nameof(input));
            long start = input.Position;
            new RdbReader(input).ReadToEnd();
            input.Position = start;
        }
        var reader = new RdbReader(input);
        var perType = new Dictionary<KeyType, long>();
        var skipped = new List<RdbSkippedKey>();
        while (reader.TryReadNext(out RdbEntry? entry))
        {
            cancellation.ThrowIfCancellationRequested();
            if (entry.Db >= store.DatabaseCount)
            {
                skipped.Add(Skip(entry, $"database {entry.Db} does not exist (the store has {store.DatabaseCount})"));
                continue;
            }
            KvDatabase db = store[entry.Db];
            if (!options.Replace && db.Exists(entry.Key))
            {
                skipped.Add(Skip(entry, "the key exists and replacing was not asked for"));
                continue;
            }
            using KeyImport import = db.BeginImport(entry.Key, entry.Type, entry.ExpireAtUnixMs, options.Replace);
            RdbValueImport.CopyTo(entry.Value, import);
            if (import.Complete()) perType[entry.Type] = perType.GetValueOrDefault(entry.Type) + 1;
            else skipped.Add(Skip(entry, entry.Value.Count == 0 ? EmptyCollection : AlreadyExpired));
        }
        skipped.InsertRange(0, reader.SkippedKeys);
        return new RdbImportResult(perType, skipped, reader.Warnings, reader.FunctionLibraries);
    }

    private static RdbSkippedKey Skip(RdbEntry entry, string reason) => new(entry.Db, entry.Key, entry.Value.RdbType, reason);
}

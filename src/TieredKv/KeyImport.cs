using System.Buffers.Binary;
using TieredKv.HotTier;
using TieredKv.Keyspace;
using TieredKv.Storage.Format;

namespace TieredKv;

/// <summary>
/// Writes one key from a stream of elements (RESTORE, RDB loading) in bounded memory: elements go
/// to the LSM in batches of at most <see cref="BatchElements"/> elements or <see cref="BatchBytes"/>
/// bytes under a fresh collection version, invisible to every reader; <see cref="Complete"/> then
/// writes the metadata, live marker, expiry entry and key-count change in one batch under the key
/// lock, replacing an existing key in O(1) as SET does. Disposing without completing abandons the
/// key: nothing becomes visible and compaction drops the elements already written.
/// A field or member added twice keeps its last value (or score) and counts once.
/// Not thread-safe: one writer per import.
/// </summary>
public sealed class KeyImport : IDisposable
{
    public const int BatchElements = 1024;
    public const int BatchBytes = 1 << 20;
    private const int ElementOverhead = 32; // per-element bytes of a batch record besides key and value

    private readonly KvDatabase _db;
    private readonly byte[] _key;
    private readonly KeyType _type;
    private readonly long? _expireAtMs;
    private readonly bool _replace;
    private readonly ulong _version;

    // Elements not yet written. Hash and set: field → value (set members have an empty value); sorted set: member → score; list: items.
    private readonly Dictionary<byte[], byte[]> _pendingFields = new(ByteArrayComparer.Instance);
    private readonly Dictionary<byte[], double> _pendingScores = new(ByteArrayComparer.Instance);
    private readonly List<byte[]> _pendingItems = [];
    private long _pendingBytes;

    private byte[]? _string;
    private long _count;          // distinct elements written so far (batches already flushed)
    private bool _wroteBatches;   // earlier batches are in the LSM: a pending element may repeat one of theirs
    private bool _protected;      // compaction keeps the version's elements until the import completes or is abandoned
    private long _flushEpoch;     // the database's FLUSHDB count when the first batch was written
    private bool _finished;

    internal KeyImport(KvDatabase db, byte[] key, KeyType type, long? expireAtMs, bool replace, ulong version)
    {
        _db = db;
        _key = key;
        _type = type;
        _expireAtMs = expireAtMs;
        _replace = replace;
        _version = version;
    }

    public byte[] Key => _key;
    public KeyType Type => _type;

    private int PendingCount => _type switch
    {
        KeyType.SortedSet => _pendingScores.Count,
        KeyType.List => _pendingItems.Count,
        _ => _pendingFields.Count,
    };

    public void SetString(ReadOnlySpan<byte> value)
    {
        Expect(KeyType.String);
        _string = value.ToArray();
    }

    public void AddHashField(ReadOnlySpan<byte> field, ReadOnlySpan<byte> value)
    {
        Expect(KeyType.Hash);
        AddField(field, value.ToArray());
    }

    public void AddSetMember(ReadOnlySpan<byte> member)
    {
        Expect(KeyType.Set);
        AddField(member, []);
    }

    /// <summary>Appends at the tail: items come head to tail.</summary>
    public void AppendListItem(ReadOnlySpan<byte> item)
    {
        Expect(KeyType.List);
        _pendingItems.Add(item.ToArray());
        Added(item.Length);
    }

    /// <exception cref="KvException">The score is NaN.</exception>
    public void AddSortedSetMember(ReadOnlySpan<byte> member, double score)
    {
        Expect(KeyType.SortedSet);
        if (double.IsNaN(score)) throw new KvException("ERR sorted set score is NaN");
        _pendingScores[member.ToArray()] = score == 0 ? 0 : score; // -0.0 and 0.0 are one score
        Added(2 * member.Length + 16);
    }

    /// <summary>
    /// Makes the key visible, replacing an existing one. Nothing is written, and an existing key is
    /// kept, when no element (or no string value) was given: Redis has no empty collections. When
    /// the expiry has already passed, the key is not created and a replaced key is deleted, as
    /// RESTORE does. Returns whether the key now exists.
    /// </summary>
    /// <exception cref="KvException">BUSYKEY when the key exists and replacing was not asked for; an error when the database was flushed during the import.</exception>
    public bool Complete()
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        _finished = true;
        try
        {
            bool created = _db.CompleteImport(this);
            if (_protected)
            {
                if (created) _db.ImportCompleted(_version);
                else _db.ImportAbandoned(_version);
            }
            return created;
        }
        catch
        {
            if (_protected) _db.ImportAbandoned(_version);
            throw;
        }
    }

    /// <summary>Abandons the key unless <see cref="Complete"/> was called.</summary>
    public void Dispose()
    {
        if (_finished) return;
        _finished = true;
        if (_protected) _db.ImportAbandoned(_version);
    }

    // ------------------------------------------------------------ for KvDatabase

    internal bool ReplaceExisting => _replace;
    internal long? ExpireAtMs => _expireAtMs;

    /// <summary>Whether elements were written before, and the FLUSHDB count then: a flush since has deleted them.</summary>
    internal (bool WroteBatches, long FlushEpoch) Written => (_wroteBatches, _flushEpoch);
    internal bool IsEmpty => _type == KeyType.String ? _string == null : _count + PendingCount == 0;

    /// <summary>The metadata of the finished key; the pending elements must be staged first.</summary>
    internal KeyMetadata Metadata() => _type == KeyType.String
        ? new KeyMetadata { Type = KeyType.String, Value = _string!, ExpireAtMs = _expireAtMs ?? 0 }
        : new KeyMetadata
        {
            Type = _type,
            Version = _version,
            ExpireAtMs = _expireAtMs ?? 0,
            Count = _count,
            ListHead = _type == KeyType.List ? KvDatabase.NewListHead : 0,
        };

    /// <summary>
    /// Adds the pending elements to <paramref name="batch"/> and counts those not written before
    /// (an element already in an earlier batch is looked up: it counts once, and a sorted-set
    /// member's old index entry is deleted).
    /// </summary>
    internal void StagePending(WriteBatch batch)
    {
        int dbIndex = _db.Index;
        switch (_type)
        {
            case KeyType.List:
                foreach (var item in _pendingItems)
                    batch.Put(KeyCodec.ListElement(dbIndex, _version, KvDatabase.NewListHead + (ulong)_count++), item);
                _pendingItems.Clear();
                break;
            case KeyType.SortedSet:
                Span<byte> raw = stackalloc byte[8];
                foreach (var (member, score) in _pendingScores)
                {
                    var subKey = KeyCodec.SubKey(dbIndex, _version, member);
                    var old = _wroteBatches ? _db.Engine.Get(subKey) : null;
                    if (old == null) _count++;
                    else batch.Delete(KeyCodec.ScoreIndex(dbIndex, _version, BinaryPrimitives.ReadDoubleLittleEndian(old), member));
                    BinaryPrimitives.WriteDoubleLittleEndian(raw, score);
                    batch.Put(subKey, raw);
                    batch.Put(KeyCodec.ScoreIndex(dbIndex, _version, score, member), []);
                }
                _pendingScores.Clear();
                break;
            case KeyType.Hash or KeyType.Set:
                foreach (var (field, value) in _pendingFields)
                {
                    var subKey = KeyCodec.SubKey(dbIndex, _version, field);
                    if (!_wroteBatches || _db.Engine.Get(subKey) == null) _count++;
                    batch.Put(subKey, value);
                }
                _pendingFields.Clear();
                break;
        }
        _pendingBytes = 0;
    }

    // ------------------------------------------------------------ batching

    private void AddField(ReadOnlySpan<byte> field, byte[] value)
    {
        _pendingFields[field.ToArray()] = value;
        Added(field.Length + value.Length);
    }

    private void Added(int bytes)
    {
        _pendingBytes += bytes + ElementOverhead;
        if (PendingCount >= BatchElements || _pendingBytes >= BatchBytes) WriteBatch();
    }

    private void WriteBatch()
    {
        if (!_protected)
        {
            _db.ProtectImport(_version); // before the first element reaches the LSM
            _protected = true;
        }
        var batch = new WriteBatch();
        StagePending(batch);
        long epoch = _db.WriteImportBatch(batch);
        if (!_wroteBatches) _flushEpoch = epoch;
        _wroteBatches = true;
    }

    private void Expect(KeyType type)
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        if (_type != type) throw new InvalidOperationException($"this import is of a {KeyTypeNames.Name(_type)}, not a {KeyTypeNames.Name(type)}");
    }
}

using System.Globalization;
using System.Text;
using TieredKv.Keyspace;
using TieredKv.Rdb.Format;
using TieredKv.Rdb.Streams;

namespace TieredKv.Rdb;

/// <summary>
/// Writes an RDB file of version 10 (Redis 7.0) key by key. Collections are written in the plain
/// encodings every Redis since 2.x loads (list, set, hash, zset with binary scores) because they need
/// only the element count up front: elements go to the stream as they come. The caller states counts
/// and the writer checks them, since a wrong count would make the file unreadable. Streams are written as
/// type 19, Redis 7.0's own encoding.
/// </summary>
public sealed class RdbWriter
{
    private readonly RdbOutput _output;
    private KeyType _openType;
    private long _remaining;
    private bool _finished;

    public RdbWriter(Stream stream, RdbWriterOptions? options = null)
    {
        options ??= new RdbWriterOptions();
        _output = new RdbOutput(stream);
        _output.Write(Encoding.ASCII.GetBytes($"REDIS{RdbEncoding.WriteVersion:D4}"));
        long ctime = (options.CreatedAt ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds();
        WriteAux("redis-ver", options.RedisVersion);
        WriteAux("redis-bits", "64");
        WriteAux("ctime", ctime.ToString(CultureInfo.InvariantCulture));
        WriteAux("used-mem", options.UsedMemory.ToString(CultureInfo.InvariantCulture));
        WriteAux("aof-base", "0");
        // Redis writes the libraries after the AUX fields and before the first database, and loads them there.
        foreach (byte[] code in options.FunctionLibraries) FunctionRecord.Write(_output, code);
    }

    /// <summary>Bytes produced so far (some may still be buffered).</summary>
    public long BytesWritten => _output.BytesWritten;

    /// <summary>Starts a database's keys; the sizes are the loader's hash-table hints.</summary>
    public void SelectDatabase(int db, long keyCount, long expiringKeyCount)
    {
        EnsureNoOpenValue();
        ArgumentOutOfRangeException.ThrowIfNegative(db);
        _output.WriteByte(RdbOpcode.SelectDb);
        _output.WriteLength((ulong)db);
        _output.WriteByte(RdbOpcode.ResizeDb);
        _output.WriteLength((ulong)Math.Max(0, keyCount));
        _output.WriteLength((ulong)Math.Max(0, expiringKeyCount));
    }

    public void WriteString(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, long? expireAtUnixMs = null)
    {
        WriteKeyHeader(RdbValueType.String, key, expireAtUnixMs);
        _output.WriteString(value);
    }

    public void BeginHash(ReadOnlySpan<byte> key, long fieldCount, long? expireAtUnixMs = null) =>
        BeginCollection(KeyType.Hash, RdbValueType.Hash, key, fieldCount, expireAtUnixMs);

    public void AddHashField(ReadOnlySpan<byte> field, ReadOnlySpan<byte> value)
    {
        NextElement(KeyType.Hash);
        _output.WriteString(field);
        _output.WriteString(value);
    }

    public void BeginSet(ReadOnlySpan<byte> key, long memberCount, long? expireAtUnixMs = null) =>
        BeginCollection(KeyType.Set, RdbValueType.Set, key, memberCount, expireAtUnixMs);

    public void AddSetMember(ReadOnlySpan<byte> member)
    {
        NextElement(KeyType.Set);
        _output.WriteString(member);
    }

    public void BeginList(ReadOnlySpan<byte> key, long itemCount, long? expireAtUnixMs = null) =>
        BeginCollection(KeyType.List, RdbValueType.List, key, itemCount, expireAtUnixMs);

    public void AddListItem(ReadOnlySpan<byte> item)
    {
        NextElement(KeyType.List);
        _output.WriteString(item);
    }

    public void BeginSortedSet(ReadOnlySpan<byte> key, long memberCount, long? expireAtUnixMs = null) =>
        BeginCollection(KeyType.SortedSet, RdbValueType.SortedSet2, key, memberCount, expireAtUnixMs);

    public void AddSortedSetMember(ReadOnlySpan<byte> member, double score)
    {
        if (double.IsNaN(score)) throw new ArgumentException("a sorted set score cannot be NaN", nameof(score));
        NextElement(KeyType.SortedSet);
        _output.WriteString(member);
        _output.WriteBinaryDouble(score);
    }

    /// <summary>
    /// Writes a stream as type 19. <paramref name="entries"/> is enumerated twice: once to count the nodes and
    /// check everything (nothing is written if that fails), once to write them. Its count must equal
    /// <paramref name="metadata"/>'s length, in increasing ID order. An empty stream (length 0) is valid.
    /// </summary>
    /// <exception cref="ArgumentException">Entries out of order or miscounted, duplicate names or PEL IDs, or a PEL entry naming a missing consumer.</exception>
    public void WriteStream(ReadOnlySpan<byte> key, IEnumerable<RdbStreamEntry> entries, RdbStreamMetadata metadata,
        IReadOnlyList<RdbStreamGroup> groups, long? expireAtUnixMs = null)
    {
        var plan = StreamValueWriter.Prepare(entries, metadata, groups);
        WriteKeyHeader(RdbValueType.StreamListpacks2, key, expireAtUnixMs);
        StreamValueWriter.Write(_output, plan, entries);
    }

    /// <summary>Writes EOF and the CRC-64, and flushes to the stream (not to disk: the caller owns durability).</summary>
    public void Finish()
    {
        EnsureNoOpenValue();
        if (_finished) throw new InvalidOperationException("the RDB file is already finished");
        _finished = true;
        _output.WriteByte(RdbOpcode.Eof);
        _output.WriteUInt64LittleEndian(_output.TakeCrc());
        _output.Flush();
    }

    private void WriteAux(string name, string value)
    {
        _output.WriteByte(RdbOpcode.Aux);
        _output.WriteString(Encoding.UTF8.GetBytes(name));
        _output.WriteString(Encoding.UTF8.GetBytes(value));
    }

    private void BeginCollection(KeyType type, byte rdbType, ReadOnlySpan<byte> key, long count, long? expireAtUnixMs)
    {
        // Redis refuses empty collections when loading, so they are never written.
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        WriteKeyHeader(rdbType, key, expireAtUnixMs);
        _output.WriteLength((ulong)count);
        _openType = type;
        _remaining = count;
    }

    private void WriteKeyHeader(byte rdbType, ReadOnlySpan<byte> key, long? expireAtUnixMs)
    {
        EnsureNoOpenValue();
        if (_finished) throw new InvalidOperationException("the RDB file is already finished");
        if (expireAtUnixMs is long at)
        {
            _output.WriteByte(RdbOpcode.ExpireTimeMs);
            _output.WriteUInt64LittleEndian((ulong)at);
        }
        _output.WriteByte(rdbType);
        _output.WriteString(key);
    }

    private void NextElement(KeyType type)
    {
        if (_remaining == 0 || _openType != type)
            throw new InvalidOperationException($"no {KeyTypeNames.Name(type)} is open with elements left to write");
        _remaining--;
    }

    private void EnsureNoOpenValue()
    {
        if (_remaining != 0)
            throw new InvalidOperationException($"the open {KeyTypeNames.Name(_openType)} still expects {_remaining} elements");
    }
}

using System.Buffers.Binary;
using TieredKv.Keyspace;

namespace TieredKv;

/// <summary>
/// The engine keys of a stream's consumer groups (format-spec/keyspace.md, <em>Streams</em>): all under
/// <c>G · db · version</c>, then a kind byte. Group names inside keys are length-prefixed (4 bytes,
/// big-endian) where something follows them, so one group's records never run into another's.
/// </summary>
internal static class StreamKeys
{
    public const byte GroupKind = 1;
    public const byte ConsumerKind = 2;
    public const byte PendingKind = 3;
    public const byte ConsumerPendingKind = 4;

    private const int Prefix = KeyCodec.SubKeyPrefixLength; // tag | db | version

    /// <summary><c>S · db · version · id(16, big-endian)</c>: an entry.</summary>
    public static byte[] Entry(int db, ulong version, StreamId id)
    {
        var k = new byte[Prefix + StreamId.EncodedLength];
        KeyCodec.SubKeyPrefix(db, version).CopyTo(k, 0);
        id.WriteBigEndian(k.AsSpan(Prefix));
        return k;
    }

    public static StreamId IdOfEntry(ReadOnlySpan<byte> key) => StreamId.ReadBigEndian(key[Prefix..]);

    /// <summary><c>G · db · version · kind</c>: the start of one kind of record.</summary>
    public static byte[] KindPrefix(int db, ulong version, byte kind)
    {
        var k = new byte[Prefix + 1];
        KeyCodec.StreamGroupPrefix(db, version).CopyTo(k, 0);
        k[Prefix] = kind;
        return k;
    }

    /// <summary><c>G · db · version · 1 · group</c></summary>
    public static byte[] Group(int db, ulong version, ReadOnlySpan<byte> group) => Concat(KindPrefix(db, version, GroupKind), group);

    public static byte[] GroupNameOf(ReadOnlySpan<byte> key) => key[(Prefix + 1)..].ToArray();

    /// <summary><c>G · db · version · kind · length(4) · group</c>: the start of one group's records of that kind.</summary>
    public static byte[] GroupScoped(int db, ulong version, byte kind, ReadOnlySpan<byte> group)
    {
        var k = new byte[Prefix + 1 + 4 + group.Length];
        KindPrefix(db, version, kind).CopyTo(k, 0);
        BinaryPrimitives.WriteInt32BigEndian(k.AsSpan(Prefix + 1), group.Length);
        group.CopyTo(k.AsSpan(Prefix + 5));
        return k;
    }

    /// <summary><c>G · db · version · 2 · length(4) · group · consumer</c></summary>
    public static byte[] Consumer(int db, ulong version, ReadOnlySpan<byte> group, ReadOnlySpan<byte> consumer) =>
        Concat(GroupScoped(db, version, ConsumerKind, group), consumer);

    /// <summary><c>G · db · version · 3 · length(4) · group · id(16)</c>: a pending entry of the group.</summary>
    public static byte[] Pending(int db, ulong version, ReadOnlySpan<byte> group, StreamId id) =>
        WithId(GroupScoped(db, version, PendingKind, group), id);

    /// <summary><c>G · db · version · 4 · length(4) · group · length(4) · consumer</c>: the start of one consumer's pending entries.</summary>
    public static byte[] ConsumerPendingPrefix(int db, ulong version, ReadOnlySpan<byte> group, ReadOnlySpan<byte> consumer)
    {
        var scoped = GroupScoped(db, version, ConsumerPendingKind, group);
        var k = new byte[scoped.Length + 4 + consumer.Length];
        scoped.CopyTo(k, 0);
        BinaryPrimitives.WriteInt32BigEndian(k.AsSpan(scoped.Length), consumer.Length);
        consumer.CopyTo(k.AsSpan(scoped.Length + 4));
        return k;
    }

    /// <summary><c>G · db · version · 4 · length(4) · group · length(4) · consumer · id(16)</c></summary>
    public static byte[] ConsumerPending(int db, ulong version, ReadOnlySpan<byte> group, ReadOnlySpan<byte> consumer, StreamId id) =>
        WithId(ConsumerPendingPrefix(db, version, group, consumer), id);

    /// <summary>The ID that ends a pending-entry key of either kind.</summary>
    public static StreamId TrailingId(ReadOnlySpan<byte> key) => StreamId.ReadBigEndian(key[^StreamId.EncodedLength..]);

    private static byte[] WithId(byte[] prefix, StreamId id)
    {
        var k = new byte[prefix.Length + StreamId.EncodedLength];
        prefix.CopyTo(k, 0);
        id.WriteBigEndian(k.AsSpan(prefix.Length));
        return k;
    }

    private static byte[] Concat(byte[] a, ReadOnlySpan<byte> b)
    {
        var k = new byte[a.Length + b.Length];
        a.CopyTo(k, 0);
        b.CopyTo(k.AsSpan(a.Length));
        return k;
    }
}

using System.Buffers.Binary;
using TieredKv.Keyspace;
using TieredKv.Rdb.Format;
using TieredKv.Rdb.Tests.Harness;

namespace TieredKv.Rdb.Tests;

/// <summary>DUMP payloads: Redis's decode with our reader, ours RESTORE into Redis, and both refuse the same damaged payloads.</summary>
public sealed class DumpPayloadTests
{
    internal static byte[] Encode(KeyModel m) => m.Type switch
    {
        KeyType.String => DumpPayload.EncodeString(m.String!),
        KeyType.List => DumpPayload.EncodeList(m.List.Count, m.List.Select(KeyModel.B)),
        KeyType.Set => DumpPayload.EncodeSet(m.Set.Count, m.Set.Select(KeyModel.B)),
        KeyType.Hash => DumpPayload.EncodeHash(m.Hash.Count, m.Hash.Select(p => new KeyValuePair<byte[], byte[]>(KeyModel.B(p.Key), KeyModel.B(p.Value)))),
        KeyType.SortedSet => DumpPayload.EncodeSortedSet(m.SortedSet.Count, m.SortedSet.Select(p => new KeyValuePair<byte[], double>(KeyModel.B(p.Key), p.Value))),
        _ => throw new ArgumentException("no such type"),
    };

    [Fact]
    public void Payload_has_version_10_and_crc64_footer()
    {
        byte[] p = DumpPayload.EncodeString("hello"u8);
        Assert.Equal(RdbValueType.String, p[0]);
        Assert.Equal(10, BinaryPrimitives.ReadUInt16LittleEndian(p.AsSpan(p.Length - 10)));
        Assert.Equal(Crc64Jones.Compute(p.AsSpan(0, p.Length - 8)), BinaryPrimitives.ReadUInt64LittleEndian(p.AsSpan(p.Length - 8)));
    }

    [Fact]
    public void Every_type_round_trips_through_our_encoder_and_decoder()
    {
        foreach (var (_, m) in Dataset.Everything().Keys)
        {
            var decoded = KeyModel.FromValue(DumpPayload.Decode(Encode(m)), m.ExpireAtUnixMs);
            Assert.Equal(m.Describe(), decoded.Describe());
        }
    }

    [Fact]
    public void Flipped_bit_is_refused_with_Redis_checksum_error()
    {
        byte[] p = DumpPayload.EncodeHash(1, [new("f"u8.ToArray(), "v"u8.ToArray())]);
        p[2] ^= 4;
        var e = Assert.Throws<DumpPayloadException>(() => DumpPayload.Decode(p));
        Assert.Equal("ERR DUMP payload version or checksum are wrong", e.Message);
    }

    [Fact]
    public void Valid_crc_over_a_malformed_value_is_bad_data_format()
    {
        // A set claiming 3 members but holding 1, re-sealed with a correct CRC.
        byte[] body = [RdbValueType.Set, 3, 1, (byte)'a', 10, 0];
        byte[] p = new byte[body.Length + 8];
        body.CopyTo(p, 0);
        BinaryPrimitives.WriteUInt64LittleEndian(p.AsSpan(body.Length), Crc64Jones.Compute(body));
        var e = Assert.Throws<DumpPayloadException>(() => DumpPayload.Decode(p));
        Assert.Equal("ERR Bad data format", e.Message);
    }

    [SkippableFact]
    public void Redis_dump_of_every_key_decodes_to_its_value()
    {
        Skip.IfNot(RedisServer.Installed, RedisServer.SkipMessage);
        using var redis = new RedisServer();
        using var c = new ValueClient(redis.Port);
        var data = Dataset.Everything();
        data.FillServer(c);
        var encodings = new HashSet<byte>();
        foreach (var ((db, key), m) in data.Keys)
        {
            c.Call("SELECT", db);
            byte[] payload = c.Bulk("DUMP", KeyModel.B(key))!;
            encodings.Add(payload[0]);
            var value = DumpPayload.Decode(payload);
            Assert.Equal(m.Describe(withExpiry: false), KeyModel.FromValue(value, null).Describe(withExpiry: false));
        }
        Assert.Contains(RdbValueType.HashListpack, encodings);
        Assert.Contains(RdbValueType.ListQuicklist2, encodings);
        Assert.Contains(RdbValueType.SetIntset, encodings);
    }

    [SkippableFact]
    public void Our_payload_of_every_key_restores_into_redis_unchanged()
    {
        Skip.IfNot(RedisServer.Installed, RedisServer.SkipMessage);
        using var redis = new RedisServer();
        using var c = new ValueClient(redis.Port);
        foreach (var ((db, key), m) in Dataset.Everything(seed: 4, scale: 2).Keys)
        {
            c.Call("SELECT", db);
            byte[] k = KeyModel.B(key);
            Assert.Equal("OK", c.Call("RESTORE", k, m.ExpireAtUnixMs ?? 0, Encode(m), "ABSTTL"));
            Assert.Equal(m.Describe(), KeyModel.FromServer(c, k)!.Describe());
        }
    }

    [SkippableFact]
    public void Redis_refuses_a_flipped_payload_with_the_message_we_use()
    {
        Skip.IfNot(RedisServer.Installed, RedisServer.SkipMessage);
        using var redis = new RedisServer();
        using var c = new ValueClient(redis.Port);
        byte[] p = DumpPayload.EncodeList(2, ["a"u8.ToArray(), "b"u8.ToArray()]);
        p[3] ^= 1;
        var theirs = Assert.Throws<RespErrorException>(() => c.Call("RESTORE", "k", "0", p));
        var ours = Assert.Throws<DumpPayloadException>(() => DumpPayload.Decode(p));
        Assert.Equal(theirs.Message, ours.Message);
    }

    [SkippableFact]
    public void Redis_and_we_refuse_a_newer_version_payload_alike()
    {
        Skip.IfNot(RedisServer.Installed, RedisServer.SkipMessage);
        using var redis = new RedisServer();
        using var c = new ValueClient(redis.Port);
        byte[] p = DumpPayload.EncodeString("x"u8);
        BinaryPrimitives.WriteUInt16LittleEndian(p.AsSpan(p.Length - 10), 12);
        BinaryPrimitives.WriteUInt64LittleEndian(p.AsSpan(p.Length - 8), Crc64Jones.Compute(p.AsSpan(0, p.Length - 8)));
        var theirs = Assert.Throws<RespErrorException>(() => c.Call("RESTORE", "k", "0", p));
        var ours = Assert.Throws<DumpPayloadException>(() => DumpPayload.Decode(p));
        Assert.Equal(theirs.Message, ours.Message);
    }
}

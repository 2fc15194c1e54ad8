using TieredKv.Server.Tests.Harness;

namespace TieredKv.Server.Tests.Differential;

/// <summary>
/// PFADD, PFCOUNT and PFMERGE against real Redis: replies compared byte for byte, and the stored
/// HLL strings too (GET), sparse and dense, so values move between the two servers.
/// </summary>
public sealed class HyperLogLogDifferentialTests(DifferentialFixture fixture) : DifferentialTest(fixture)
{
    /// <summary>GET on both servers with the raw reply bytes compared (the text comparison of <c>Same</c> folds bytes that are not UTF-8).</summary>
    private void SameValue(string key)
    {
        RequireRedis();
        var (redis, ours) = Clients;
        byte[] expected = redis.Call("GET", key), actual = ours.Call("GET", key);
        Assert.True(expected.AsSpan().SequenceEqual(actual), $"GET {key}: redis {expected.Length} bytes {Convert.ToHexString(expected.AsSpan(0, Math.Min(expected.Length, 80)))}, tieredkv {actual.Length} bytes {Convert.ToHexString(actual.AsSpan(0, Math.Min(actual.Length, 80)))}");
    }

    private static string[] Elements(string prefix, int from, int count) =>
        Enumerable.Range(from, count).Select(i => $"{prefix}{i}").ToArray();

    [SkippableFact]
    public void PfAdd_Sparse_SameBytes()
    {
        Same("PFADD", "h");
        SameValue("h");
        Same("PFADD", "h");
        Same("PFADD", "h", "a", "b", "c");
        SameValue("h");
        Same("PFADD", "h", "a", "b", "c");
        Same("PFCOUNT", "h");
        SameValue("h");
        Same("PFADD", "h", "");
        Same("PFADD", "h", "a longer element of more than eight bytes");
        Same("PFCOUNT", "h");
        SameValue("h");
        Same("PFCOUNT", "missing");
        Same("EXISTS", "missing");
    }

    [SkippableFact]
    public void PfAdd_Growth_SparseThenDense()
    {
        for (int batch = 0; batch < 40; batch++)
        {
            Same(["PFADD", "h", .. Elements("e", batch * 100, 100)]);
            Same("PFCOUNT", "h");
            SameValue("h");
            Same("STRLEN", "h");
        }
        Same(["PFADD", "h", .. Elements("e", 0, 50)]);
        SameValue("h");
    }

    [SkippableFact]
    public void PfAdd_ManyElements_Dense()
    {
        for (int batch = 0; batch < 20; batch++) Same(["PFADD", "big", .. Elements("x", batch * 1000, 1000)]);
        Same("PFCOUNT", "big");
        SameValue("big");
        Same("PFCOUNT", "big");
    }

    [SkippableFact]
    public void Expiry_Kept_And_Transactions()
    {
        Same("PFADD", "e", "a");
        Same("EXPIRE", "e", "100");
        Same("PFADD", "e", "b", "c");
        Same("TTL", "e");
        Same("PFCOUNT", "e");
        Same("TTL", "e");
        SameValue("e");
        Same("MULTI");
        Same("PFADD", "t", "x", "y");
        Same("PFCOUNT", "t");
        Same("PFMERGE", "t2", "t", "e");
        Same("PFCOUNT", "t2", "t");
        Same("EXEC");
        SameValue("t2");
        Same("TYPE", "t2");
        Same("OBJECT", "ENCODING", "t2");
        Same("OBJECT", "ENCODING", "e");
        Same("PFADD", "fresh");
        Same("OBJECT", "ENCODING", "fresh");
    }

    [SkippableFact]
    public void PfCount_SeveralKeys_DoesNotWrite()
    {
        Same(["PFADD", "a", .. Elements("a", 0, 200)]);
        Same(["PFADD", "b", .. Elements("a", 100, 5000)]);
        Same("PFCOUNT", "a", "b");
        Same("PFCOUNT", "a", "b", "missing");
        Same("PFCOUNT", "a", "a");
        SameValue("a");
        SameValue("b");
        Same("PFCOUNT", "missing", "missing2");
    }

    [SkippableFact]
    public void PfMerge_SparseAndDense()
    {
        Same(["PFADD", "s1", .. Elements("s", 0, 50)]);
        Same(["PFADD", "s2", .. Elements("s", 30, 60)]);
        Same(["PFADD", "d", .. Elements("d", 0, 3000)]);
        Same("PFMERGE", "m1", "s1", "s2");
        SameValue("m1");
        Same("PFCOUNT", "m1");
        Same("PFMERGE", "m2", "s1", "d");
        SameValue("m2");
        Same("PFCOUNT", "m2");
        Same("PFMERGE", "s1", "s2");
        SameValue("s1");
        Same("PFMERGE", "empty");
        SameValue("empty");
        Same("PFMERGE", "m3", "missing");
        SameValue("m3");
        Same("SET", "t", "x");
        Same("DEL", "t");
        Same(["PFADD", "t", .. Elements("t", 0, 10)]);
        Same("EXPIRE", "t", "100");
        Same("PFMERGE", "t", "d");
        Same("TTL", "t");
        SameValue("t");
    }

    [SkippableFact]
    public void Errors_And_WrongTypes()
    {
        Same("SET", "str", "hello");
        Same("PFADD", "str", "a");
        Same("PFCOUNT", "str");
        Same("PFCOUNT", "str", "other");
        Same("PFMERGE", "dest", "str");
        Same("EXISTS", "dest");
        Same("PFMERGE", "str", "dest");
        Same("SET", "num", "12345");
        Same("PFADD", "num", "a");
        Same("RPUSH", "list", "a");
        Same("PFADD", "list", "a");
        Same("PFCOUNT", "list");
        Same("PFCOUNT", "list", "str");
        Same("PFMERGE", "list", "str");
        Same("PFMERGE", "str", "list");
        Same("PFMERGE", "dest", "str", "list");
        Same("PFMERGE", "dest", "missing", "list", "str");
        Same("PFCOUNT", "str", "list");
        Same("PFCOUNT", "missing", "list", "str");
        Same("PFADD", "ok", "a");
        Same("PFMERGE", "ok", "list");
        Same("PFMERGE", "list", "ok");
        Same("PFADD");
        Same("PFCOUNT");
        Same("PFMERGE");
        Same("SET", "fake", "HYLL\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000");
        Same("PFADD", "fake", "a");
        Same("SET", "fakedense", "HYLL\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000abc");
        Same("PFADD", "fakedense", "a");
        Same("SET", "badenc", "HYLL\u0002\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u007f\u00ff");
        Same("PFADD", "badenc", "a");
    }

    [SkippableFact]
    public void Corrupted_Sparse()
    {
        // A sparse value whose opcodes cover too few registers (one XZERO of 100): invalid cache forces a count.
        var (redis, ours) = Clients;
        byte[] value = [.. "HYLL"u8, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x80, 0x40, 99];
        foreach (var client in new[] { redis, ours }) client.Call([.. new[] { "SET", "bad" }.Select(System.Text.Encoding.UTF8.GetBytes), value]);
        Same("PFCOUNT", "bad");
        Same("PFCOUNT", "bad", "bad");
        Same("PFMERGE", "dest", "bad");
        Same("EXISTS", "dest");
        Same("PFADD", "bad", "a", "b", "c");
        SameValue("bad");
    }

    /// <summary>Stores the same raw value on both servers.</summary>
    private void SetRaw(string key, byte[] value)
    {
        RequireRedis();
        var (redis, ours) = Clients;
        byte[][] command = ["SET"u8.ToArray(), System.Text.Encoding.UTF8.GetBytes(key), value];
        Assert.Equal(redis.Call(command), ours.Call(command));
    }

    private static byte[] Sparse(bool cacheValid, ulong card, params byte[] opcodes)
    {
        var header = new byte[16];
        "HYLL"u8.CopyTo(header);
        header[4] = 1;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(header.AsSpan(8), card);
        if (!cacheValid) header[15] |= 0x80;
        return [.. header, .. opcodes];
    }

    [SkippableFact]
    public void Crafted_Values()
    {
        // A valid cache is answered as stored, whatever the registers say.
        SetRaw("cached", Sparse(true, 12345, 0x7F, 0xFF));
        Same("PFCOUNT", "cached");
        Same("PFCOUNT", "cached", "missing");
        // Runs covering too many registers: the add succeeds, the count refuses.
        SetRaw("long", Sparse(false, 0, 0x7F, 0xFF, 0x00));
        Same("PFADD", "long", "a", "b", "c", "d");
        SameValue("long");
        Same("PFCOUNT", "long");
        Same("PFCOUNT", "long", "long");
        Same("PFMERGE", "m", "long");
        Same("EXISTS", "m");
        Same("RPUSH", "list", "x");
        Same("PFMERGE", "m", "long", "list");
        Same("PFMERGE", "m", "list", "long");
        Same("PFCOUNT", "long", "list");
        // A VAL run past the last register.
        SetRaw("over", Sparse(false, 0, 0x7F, 0xFE, 0x83));
        Same("PFCOUNT", "over");
        Same("PFCOUNT", "over", "x");
        Same("PFADD", "over", "a", "b", "c");
        SameValue("over");
        // Opcodes covering too few registers: the add fails when it reaches past them, keeping earlier changes.
        SetRaw("short", Sparse(false, 0, 0x5F, 0xFF));
        Same(["PFADD", "short", .. Elements("q", 0, 40)]);
        SameValue("short");
        Same("PFADD", "short", "q0");
        Same("PFCOUNT", "short");
        // Values covering exactly 16384 registers with VAL and ZERO opcodes.
        SetRaw("mixed", Sparse(false, 0, 0x8B, 0x3F, 0x7E, 0xBE));
        Same("PFCOUNT", "mixed");
        SameValue("mixed");
        Same(["PFADD", "mixed", .. Elements("w", 0, 300)]);
        SameValue("mixed");
        Same("PFCOUNT", "mixed");
        // A dense value with registers above 51, then merged into a sparse destination.
        var dense = new byte[16 + 12288];
        "HYLL"u8.CopyTo(dense);
        dense[15] = 0x80;
        for (int i = 16; i < dense.Length; i += 7) dense[i] = 0xFF;
        SetRaw("dense", dense);
        Same("PFCOUNT", "dense");
        SameValue("dense");
        Same("PFADD", "sp", "a");
        Same("PFMERGE", "sp", "dense");
        SameValue("sp");
        Same("PFCOUNT", "sp", "dense");
    }

    [SkippableFact]
    public void Value_From_Redis_Counts_The_Same()
    {
        var (redis, ours) = Clients;
        RequireRedis();
        foreach (int n in new[] { 10, 400, 5000 })
        {
            string key = $"r{n}";
            for (int i = 0; i < n; i += 500) redis.Call(["PFADD", key, .. Elements("v", i, Math.Min(500, n - i))]);
            byte[] bulk = redis.Call("GET", key);
            byte[] value = ParseBulk(bulk);
            ours.Call([.. new[] { "SET", key }.Select(System.Text.Encoding.UTF8.GetBytes), value]);
            Assert.Equal(redis.Call("PFCOUNT", key), ours.Call("PFCOUNT", key));
            Assert.Equal(redis.Call("GET", key), ours.Call("GET", key));
            Assert.Equal(redis.Call("PFADD", key, "new1", "new2"), ours.Call("PFADD", key, "new1", "new2"));
            Assert.Equal(redis.Call("GET", key), ours.Call("GET", key));
        }
    }

    private static byte[] ParseBulk(byte[] reply)
    {
        int crlf = Array.IndexOf(reply, (byte)'\n');
        int length = int.Parse(System.Text.Encoding.ASCII.GetString(reply, 1, crlf - 2));
        return reply.AsSpan(crlf + 1, length).ToArray();
    }

    [SkippableFact]
    public void PfDebug_EncodingDecodeAndToDense()
    {
        Same("PFADD", "h", "a", "b", "c");
        Same("PFDEBUG", "ENCODING", "h");
        Same("PFDEBUG", "DECODE", "h");
        Same("PFDEBUG", "TODENSE", "h");
        Same("PFDEBUG", "ENCODING", "h");
        Same("PFDEBUG", "TODENSE", "h");
        Same("PFDEBUG", "DECODE", "h");
        Same("PFCOUNT", "h");
    }

    [SkippableFact]
    public void PfDebug_GetRegConvertsToDense()
    {
        Same("PFADD", "h", "x", "y");
        Same("PFDEBUG", "GETREG", "h");
        Same("PFDEBUG", "ENCODING", "h");
        Same("GET", "h");
    }

    [SkippableFact]
    public void PfDebug_ErrorsAsRedis()
    {
        Same("PFADD", "h", "a");
        Same("PFDEBUG", "FOO", "h");
        Same("PFDEBUG", "FOO", "missing");
        Same("PFDEBUG", "ENCODING", "missing");
        Same("SET", "s", "not an hll");
        Same("PFDEBUG", "ENCODING", "s");
        Same("RPUSH", "l", "x");
        Same("PFDEBUG", "GETREG", "l");
        Same("PFDEBUG", "ENCODING", "h", "extra");
        Same("PFDEBUG", "ENCODING");
    }

    [SkippableFact]
    public void PfSelfTest_Passes()
    {
        Same("PFSELFTEST");
        Same("PFSELFTEST", "extra");
    }
}

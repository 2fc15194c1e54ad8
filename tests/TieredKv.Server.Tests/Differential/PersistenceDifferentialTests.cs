using System.Buffers.Binary;
using System.Text;
using TieredKv.Rdb;
using TieredKv.Rdb.Format;
using TieredKv.Server.Tests.Harness;

namespace TieredKv.Server.Tests.Differential;

/// <summary>DUMP and RESTORE against real Redis: the same errors in the same order, and payloads that travel both ways.</summary>
public sealed class PersistenceDifferentialTests(DifferentialFixture fixture) : DifferentialTest(fixture)
{
    private static byte[] B(string s) => Encoding.UTF8.GetBytes(s);

    /// <summary>Sends binary arguments to both servers and requires the same reply.</summary>
    private string SameBytes(params byte[][] command)
    {
        RequireRedis();
        var (redis, ours) = Clients;
        string e = Show(redis.Call(command)), a = Show(ours.Call(command));
        Assert.True(e == a, $"{Encoding.UTF8.GetString(command[0])} ...\n  redis:    {e}\n  tieredkv: {a}");
        return e;
    }

    private static byte[] StringPayload(string value) => DumpPayload.EncodeString(B(value));

    [SkippableFact]
    public void Dump_of_a_missing_key_is_nil_and_arity_errors_match()
    {
        Same("DUMP", "missing");
        Same("DUMP");
        Same("DUMP", "a", "b");
        Same("RESTORE", "k", "0");
    }

    [SkippableFact]
    public void Dbfilename_config_and_bgsave_arguments_match()
    {
        Same("CONFIG", "GET", "dbfilename");
        Same("BGSAVE", "NOW");
        Same("BGSAVE", "SCHEDULE", "EXTRA");
        Same("SAVE", "EXTRA");
        Same("LASTSAVE", "EXTRA");
    }

    [SkippableFact]
    public void Restore_option_errors_match()
    {
        byte[] p = StringPayload("v");
        SameBytes(B("RESTORE"), B("k"), B("0"), p, B("FOO"));
        SameBytes(B("RESTORE"), B("k"), B("0"), p, B("IDLETIME"));
        SameBytes(B("RESTORE"), B("k"), B("0"), p, B("IDLETIME"), B("-1"));
        SameBytes(B("RESTORE"), B("k"), B("0"), p, B("IDLETIME"), B("x"));
        SameBytes(B("RESTORE"), B("k"), B("0"), p, B("FREQ"), B("256"));
        SameBytes(B("RESTORE"), B("k"), B("0"), p, B("FREQ"), B("-1"));
        SameBytes(B("RESTORE"), B("k"), B("0"), p, B("IDLETIME"), B("5"), B("FREQ"), B("5"));
        SameBytes(B("RESTORE"), B("k"), B("0"), p, B("FREQ"), B("5"), B("IDLETIME"), B("5"));
        Same("EXISTS", "k");
    }

    [SkippableFact]
    public void Busykey_comes_before_the_ttl_and_payload_checks()
    {
        Same("SET", "k", "old");
        SameBytes(B("RESTORE"), B("k"), B("-1"), B("garbage"));
        SameBytes(B("RESTORE"), B("k"), B("0"), StringPayload("new"));
        Same("GET", "k");
    }

    [SkippableFact]
    public void Ttl_errors_come_before_the_payload_check()
    {
        SameBytes(B("RESTORE"), B("k"), B("-1"), B("garbage"));
        SameBytes(B("RESTORE"), B("k"), B("abc"), B("garbage"));
        SameBytes(B("RESTORE"), B("k"), B("0"), B("garbage"));
        SameBytes(B("RESTORE"), B("k"), B("0"), B("short"));
    }

    [SkippableFact]
    public void Damaged_payloads_are_refused_alike()
    {
        byte[] flipped = DumpPayload.EncodeList(2, [B("a"), B("b")]);
        flipped[3] ^= 1;
        SameBytes(B("RESTORE"), B("k"), B("0"), flipped);

        byte[] newer = StringPayload("x");
        BinaryPrimitives.WriteUInt16LittleEndian(newer.AsSpan(newer.Length - 10), 12);
        BinaryPrimitives.WriteUInt64LittleEndian(newer.AsSpan(newer.Length - 8), Crc64Jones.Compute(newer.AsSpan(0, newer.Length - 8)));
        SameBytes(B("RESTORE"), B("k"), B("0"), newer);

        // A correct footer over a set that claims 3 members and holds 1.
        byte[] body = [RdbValueType.Set, 3, 1, (byte)'a', 10, 0];
        byte[] bad = new byte[body.Length + 8];
        body.CopyTo(bad, 0);
        BinaryPrimitives.WriteUInt64LittleEndian(bad.AsSpan(body.Length), Crc64Jones.Compute(body));
        SameBytes(B("RESTORE"), B("k"), B("0"), bad);
        Same("EXISTS", "k");
    }

    [SkippableFact]
    public void Replace_absttl_and_an_expiry_in_the_past_behave_alike()
    {
        Same("SET", "k", "old");
        SameBytes(B("RESTORE"), B("k"), B("0"), StringPayload("new"), B("REPLACE"));
        Same("GET", "k");
        SameBytes(B("RESTORE"), B("k"), B("4102444800000"), StringPayload("later"), B("REPLACE"), B("ABSTTL"), B("IDLETIME"), B("10"));
        Same("GET", "k");
        Same("PEXPIRETIME", "k");
        SameBytes(B("RESTORE"), B("k"), B("1000"), StringPayload("gone"), B("REPLACE"), B("ABSTTL"));
        Same("EXISTS", "k");
        SameBytes(B("RESTORE"), B("n"), B("1000"), StringPayload("never"), B("ABSTTL"), B("FREQ"), B("3"));
        Same("EXISTS", "n");
    }

    [SkippableFact]
    public void Every_type_dumped_by_one_server_restores_in_the_other()
    {
        RequireRedis();
        var setup = new List<string[]>
        {
            new[] { "SET", "str:int", "12345" },
            new[] { "SET", "str:text", new string('q', 500) },
            new[] { "HSET", "hash:small", "a", "1", "b", "two" },
            new[] { "SADD", "set:ints", "1", "2", "-300", "70000" },
            new[] { "SADD", "set:strs", "x", "y", "z" },
            new[] { "ZADD", "zset:small", "1", "a", "-2.5", "b", "inf", "c" },
            new[] { "RPUSH", "list:small", "a", "1", "b" },
        };
        var big = new List<string> { "HSET", "hash:big" };
        for (int i = 0; i < 300; i++) big.AddRange(["f" + i, new string('v', i % 90)]);
        setup.Add([.. big]);
        var bigSet = new List<string> { "SADD", "set:big" };
        for (int i = 0; i < 700; i++) bigSet.Add((i * 37).ToString());
        setup.Add([.. bigSet]);
        var bigZset = new List<string> { "ZADD", "zset:big" };
        for (int i = 0; i < 300; i++) bigZset.AddRange([(i * 0.25 - 10).ToString(System.Globalization.CultureInfo.InvariantCulture), "m" + i]);
        setup.Add([.. bigZset]);
        var bigList = new List<string> { "RPUSH", "list:big" };
        for (int i = 0; i < 3000; i++) bigList.Add(i % 3 == 0 ? i.ToString() : "item" + i);
        setup.Add([.. bigList]);
        foreach (var cmd in setup) Setup(cmd);
        Setup("PEXPIREAT", "hash:big", "4102444800123");

        var (redis, ours) = Clients;
        foreach (var cmd in setup)
        {
            string key = cmd[1];
            // Redis's payload (its compact encodings) into ours, ours (plain encodings) into Redis.
            byte[] fromRedis = Bulk(Call(redis, B("DUMP"), B(key)));
            byte[] fromOurs = Bulk(Call(ours, B("DUMP"), B(key)));
            Assert.Equal("+OK\\r\\n", Show(Call(ours, B("RESTORE"), B(key + ":copy"), B("0"), fromRedis)));
            Assert.Equal("+OK\\r\\n", Show(Call(redis, B("RESTORE"), B(key + ":copy"), B("0"), fromOurs)));
            foreach (string k in new[] { key + ":copy" })
            {
                string type = Same("TYPE", k);
                if (type.Contains("string")) Same("GET", k);
                else if (type.Contains("list")) Same("LRANGE", k, "0", "-1");
                else if (type.Contains("zset")) Same("ZRANGE", k, "0", "-1", "WITHSCORES");
                else if (type.Contains("hash")) SameUnordered("HGETALL", k);
                else SameUnordered("SMEMBERS", k);
            }
        }
    }

    private static byte[] Call(RawClient client, params byte[][] args) => client.Call(args);

    private static byte[] Bulk(byte[] reply)
    {
        // "$len\r\n<bytes>\r\n"
        int lineEnd = Array.IndexOf(reply, (byte)'\n');
        Assert.Equal((byte)'$', reply[0]);
        int length = int.Parse(Encoding.ASCII.GetString(reply, 1, lineEnd - 2));
        return reply.AsSpan(lineEnd + 1, length).ToArray();
    }
}

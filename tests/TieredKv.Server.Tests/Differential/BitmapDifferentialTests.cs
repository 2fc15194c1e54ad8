using TieredKv.Server.Tests.Harness;

namespace TieredKv.Server.Tests.Differential;

/// <summary>Bitmap commands and OBJECT ENCODING of strings: the same scripts against real Redis and TieredKv, replies compared byte for byte.</summary>
public sealed class BitmapDifferentialTests(DifferentialFixture fixture) : DifferentialTest(fixture)
{
    [SkippableFact]
    public void SetBit_GetBit()
    {
        Same("SETBIT", "b", "7", "1");
        Same("SETBIT", "b", "7", "1");
        Same("SETBIT", "b", "100", "0");
        Same("GET", "b");
        Same("STRLEN", "b");
        Same("GETBIT", "b", "7");
        Same("GETBIT", "b", "6");
        Same("GETBIT", "b", "100000");
        Same("GETBIT", "missing", "3");
        Same("SETBIT", "b", "7", "0");
        Same("GET", "b");
        Same("SET", "s", "A");
        Same("SETBIT", "s", "6", "1");
        Same("GET", "s");
        Same("SETBIT", "z", "0", "0");
        Same("GET", "z");
    }

    [SkippableFact]
    public void SetBit_Errors()
    {
        Same("SETBIT", "b", "-1", "1");
        Same("SETBIT", "b", "4294967296", "1");
        Same("SETBIT", "b", "abc", "1");
        Same("SETBIT", "b", "1", "2");
        Same("SETBIT", "b", "1", "-1");
        Same("SETBIT", "b", "1", "x");
        Same("SETBIT", "b", "x", "x");
        Same("GETBIT", "b", "-1");
        Same("GETBIT", "b", "4294967296");
        Same("GETBIT", "b", "1.5");
        Same("SETBIT", "b");
        Same("EXISTS", "b");
    }

    [SkippableFact]
    public void SetBit_KeepsExpiry()
    {
        Same("SET", "e", "x", "EX", "100");
        Same("SETBIT", "e", "20", "1");
        Same("TTL", "e");
        Same("BITFIELD", "e", "SET", "u8", "40", "3");
        Same("TTL", "e");
    }

    [SkippableFact]
    public void BitCount_Ranges()
    {
        Same("SET", "k", "foobar");
        Same("BITCOUNT", "k");
        Same("BITCOUNT", "k", "0", "0");
        Same("BITCOUNT", "k", "1", "1");
        Same("BITCOUNT", "k", "1", "1", "BYTE");
        Same("BITCOUNT", "k", "5", "30", "BIT");
        Same("BITCOUNT", "k", "5", "30", "bit");
        Same("BITCOUNT", "k", "-1", "-1");
        Same("BITCOUNT", "k", "-2", "-1", "BIT");
        Same("BITCOUNT", "k", "-100", "100");
        Same("BITCOUNT", "k", "-100", "100", "BIT");
        Same("BITCOUNT", "k", "3", "1");
        Same("BITCOUNT", "k", "-1", "-3");
        Same("BITCOUNT", "k", "-1", "-3", "BOGUS");
        Same("BITCOUNT", "k", "0", "5", "BOGUS");
        Same("BITCOUNT", "k", "0");
        Same("BITCOUNT", "k", "0", "1", "BIT", "x");
        Same("BITCOUNT", "k", "a", "1");
        Same("BITCOUNT", "k", "0", "b");
        Same("BITCOUNT", "missing");
        Same("BITCOUNT", "missing", "0");
        Same("BITCOUNT", "missing", "0", "1", "BOGUS");
        Same("BITCOUNT", "k", "9", "10", "BIT");
        Same("BITCOUNT", "k", "9", "9", "BIT");
        Same("SET", "long", new string('\u007f', 100));
        Same("BITCOUNT", "long");
        Same("BITCOUNT", "long", "3", "797", "BIT");
        Same("SET", "empty", "");
        Same("BITCOUNT", "empty");
        Same("BITCOUNT", "empty", "0", "-1");
    }

    [SkippableFact]
    public void BitPos_Edges()
    {
        Same("SET", "ones", "\u007f\u007f"); // 0x7f: leading zero then ones
        Same("BITPOS", "ones", "0");
        Same("BITPOS", "ones", "1");
        Same("BITPOS", "ones", "1", "1");
        Same("BITPOS", "ones", "0", "1");
        Same("BITPOS", "ones", "0", "1", "-1");
        Same("BITPOS", "ones", "0", "0", "-1", "BIT");
        Same("BITPOS", "ones", "0", "1", "-1", "BIT");
        Same("BITPOS", "ones", "0", "1", "BIT");
        Same("BITPOS", "ones", "1", "9", "BIT");
        Same("BITPOS", "ones", "1", "-7", "-1", "BIT");
        Same("BITPOS", "ones", "1", "5", "3");
        Same("BITPOS", "ones", "1", "100");
        Same("BITPOS", "ones", "0", "100");
        Same("BITPOS", "ones", "1", "-100", "-100");
        Same("BITPOS", "missing", "0");
        Same("BITPOS", "missing", "1");
        Same("BITPOS", "missing", "1", "x", "y", "z", "w");
        Same("BITPOS", "missing", "2");
        Same("BITPOS", "ones", "2");
        Same("BITPOS", "ones", "x");
        Same("BITPOS", "ones", "1", "a");
        Same("BITPOS", "ones", "1", "0", "b");
        Same("BITPOS", "ones", "1", "0", "1", "BOGUS");
        Same("BITPOS", "ones", "1", "0", "1", "BIT", "extra");
        Same("SETBIT", "allones", "0", "1");
        Same("BITFIELD", "allones", "SET", "u24", "0", "16777215");
        Same("BITPOS", "allones", "0");
        Same("BITPOS", "allones", "0", "1");
        Same("BITPOS", "allones", "0", "0", "-1");
        Same("BITPOS", "allones", "0", "2", "BIT");
        Same("BITPOS", "allones", "0", "2", "23", "BIT");
        Same("BITPOS", "allones", "0", "2", "-1", "BIT");
        Same("BITPOS", "allones", "1", "2", "BIT");
        Same("SET", "zeros", "\0\0\0");
        Same("BITPOS", "zeros", "1");
        Same("BITPOS", "zeros", "0");
        Same("BITPOS", "zeros", "0", "1");
        Same("BITPOS", "zeros", "1", "3", "20", "BIT");
        Same("SET", "mid", "\0\u0010\0");
        Same("BITPOS", "mid", "1");
        Same("BITPOS", "mid", "1", "3", "20", "BIT");
        Same("BITPOS", "mid", "1", "12", "20", "BIT");
        Same("BITPOS", "mid", "1", "3", "10", "BIT");
        Same("BITPOS", "mid", "0", "11", "11", "BIT");
        Same("BITPOS", "mid", "0", "8", "15", "BYTE");
        Same("SET", "empty", "");
        Same("BITPOS", "empty", "0");
        Same("BITPOS", "empty", "1");
    }

    [SkippableFact]
    public void BitOp_AllOperations()
    {
        Same("SET", "a", "foobar");
        Same("SET", "b", "abc");
        Same("BITOP", "AND", "d", "a", "b");
        Same("GET", "d");
        Same("BITOP", "or", "d", "a", "b", "missing");
        Same("GET", "d");
        Same("BITOP", "XOR", "d", "a", "b");
        Same("GET", "d");
        Same("BITOP", "AND", "d", "a", "missing");
        Same("GET", "d");
        Same("BITOP", "NOT", "d", "b");
        Same("GET", "d");
        Same("SET", "d", "x", "EX", "100");
        Same("BITOP", "OR", "d", "a");
        Same("TTL", "d");
        Same("BITOP", "AND", "d", "missing", "missing2");
        Same("EXISTS", "d");
        Same("BITOP", "NOT", "d", "missing");
        Same("EXISTS", "d");
        Same("BITOP", "AND", "a", "a", "b");
        Same("GET", "a");
        Same("BITOP", "NOT", "d", "a", "b");
        Same("BITOP", "NAND", "d", "a");
        Same("BITOP", "AND", "d");
    }

    [SkippableFact]
    public void BitField_Basics()
    {
        Same("BITFIELD", "f", "SET", "i8", "0", "100", "GET", "u4", "0", "GET", "i4", "4");
        Same("GET", "f");
        Same("BITFIELD", "f", "INCRBY", "u2", "100", "1", "OVERFLOW", "SAT", "INCRBY", "i8", "#0", "100");
        Same("BITFIELD", "f", "GET", "u63", "0", "GET", "i64", "0", "GET", "i64", "#3");
        Same("BITFIELD", "f", "SET", "i64", "0", "-9223372036854775808", "GET", "i64", "0", "GET", "u63", "1");
        Same("BITFIELD", "f");
        Same("BITFIELD", "missing");
        Same("BITFIELD", "missing", "GET", "u8", "0");
        Same("EXISTS", "missing");
        Same("BITFIELD", "f", "SET", "u8", "#2", "255", "GET", "u8", "#2", "GET", "u16", "#1");
        Same("BITFIELD_RO", "f", "GET", "u8", "#2", "GET", "i5", "3");
        Same("BITFIELD_RO", "missing", "GET", "u8", "0");
        Same("BITFIELD_RO", "f", "SET", "u8", "0", "1");
        Same("BITFIELD_RO", "f", "INCRBY", "u8", "0", "1");
        Same("BITFIELD_RO", "f", "GET", "u8");
        Same("GET", "f");
    }

    [SkippableFact]
    public void BitField_Overflow()
    {
        Same("BITFIELD", "o", "SET", "u8", "0", "255", "INCRBY", "u8", "0", "10", "OVERFLOW", "SAT", "INCRBY", "u8", "0", "300", "OVERFLOW", "FAIL", "INCRBY", "u8", "0", "1");
        Same("BITFIELD", "o", "OVERFLOW", "WRAP", "INCRBY", "u8", "0", "-300", "OVERFLOW", "SAT", "INCRBY", "u8", "0", "-300", "OVERFLOW", "FAIL", "INCRBY", "u8", "0", "-1000");
        Same("BITFIELD", "o", "SET", "i8", "8", "127", "INCRBY", "i8", "8", "1", "OVERFLOW", "SAT", "INCRBY", "i8", "8", "-1000", "INCRBY", "i8", "8", "1000", "OVERFLOW", "fail", "INCRBY", "i8", "8", "1");
        Same("BITFIELD", "o", "SET", "i8", "16", "200", "SET", "u4", "24", "-1", "OVERFLOW", "SAT", "SET", "i8", "32", "-200", "SET", "u4", "40", "99", "OVERFLOW", "FAIL", "SET", "i8", "48", "128", "SET", "u4", "56", "16");
        Same("BITFIELD", "o", "SET", "i64", "64", "9223372036854775807", "INCRBY", "i64", "64", "1", "OVERFLOW", "SAT", "INCRBY", "i64", "64", "9223372036854775807", "INCRBY", "i64", "64", "-9223372036854775808", "INCRBY", "i64", "64", "-9223372036854775808");
        Same("BITFIELD", "o", "SET", "u63", "128", "9223372036854775807", "INCRBY", "u63", "128", "1", "OVERFLOW", "SAT", "INCRBY", "u63", "128", "-9223372036854775808", "SET", "u63", "128", "-1");
        Same("BITFIELD", "o", "SET", "i1", "200", "1", "GET", "i1", "200", "INCRBY", "i1", "200", "1", "SET", "u1", "201", "2");
        Same("BITFIELD", "o", "OVERFLOW", "SAT", "SET", "i8", "256", "-9223372036854775808", "SET", "i8", "264", "9223372036854775807");
        Same("GET", "o");
        Same("BITFIELD", "grown", "OVERFLOW", "FAIL", "INCRBY", "u8", "80", "1000");
        Same("GET", "grown");
    }

    [SkippableFact]
    public void BitField_Errors()
    {
        Same("BITFIELD", "f", "GET", "u64", "0");
        Same("BITFIELD", "f", "GET", "i65", "0");
        Same("BITFIELD", "f", "GET", "i0", "0");
        Same("BITFIELD", "f", "GET", "I8", "0");
        Same("BITFIELD", "f", "GET", "x8", "0");
        Same("BITFIELD", "f", "GET", "u", "0");
        Same("BITFIELD", "f", "GET", "u8", "-1");
        Same("BITFIELD", "f", "GET", "u8", "#-1");
        Same("BITFIELD", "f", "GET", "u8", "#");
        Same("BITFIELD", "f", "GET", "u8", "4294967296");
        Same("BITFIELD", "f", "GET", "u8", "#536870912");
        Same("BITFIELD", "f", "GET", "u8", "x");
        Same("BITFIELD", "f", "GET", "u8", "#9223372036854775807");
        Same("BITFIELD", "f", "GET", "i64", "#2305843009213693952");
        Same("BITFIELD", "f", "GET", "u8", "#+1");
        Same("BITFIELD", "f", "SET", "u8", "0", "x");
        Same("BITFIELD", "f", "SET", "u8", "0");
        Same("BITFIELD", "f", "INCRBY", "u8", "0");
        Same("BITFIELD", "f", "GET", "u8");
        Same("BITFIELD", "f", "OVERFLOW");
        Same("BITFIELD", "f", "OVERFLOW", "BOGUS", "GET", "u8", "0");
        Same("BITFIELD", "f", "BOGUS");
        Same("BITFIELD", "f", "GET", "u8", "0", "SET", "u8", "0", "1", "GET", "u64", "0");
        Same("EXISTS", "f");
        Same("BITFIELD");
    }

    [SkippableFact]
    public void Resp3_Replies()
    {
        RequireRedis();
        Setup("HELLO", "3");
        Same("BITFIELD", "r", "OVERFLOW", "FAIL", "INCRBY", "u2", "0", "5", "SET", "u8", "8", "7", "GET", "u8", "8");
        Same("BITFIELD_RO", "r", "GET", "i8", "8");
        Same("BITCOUNT", "r", "0", "-1", "BIT");
        Same("BITPOS", "r", "1");
        Same("GETBIT", "r", "15");
        Same("BITOP", "NOT", "r2", "r");
        Same("SET", "s", "hello");
        Same("OBJECT", "ENCODING", "s");
        Same("OBJECT", "ENCODING", "nope");
    }

    [SkippableFact]
    public void ObjectEncoding_Strings()
    {
        Same("SET", "i", "12345");
        Same("OBJECT", "ENCODING", "i");
        Same("SET", "neg", "-9223372036854775808");
        Same("OBJECT", "ENCODING", "neg");
        Same("SET", "big", "9223372036854775808");
        Same("OBJECT", "ENCODING", "big");
        Same("SET", "lead", "0123");
        Same("OBJECT", "encoding", "lead");
        Same("SET", "e44", new string('x', 44));
        Same("OBJECT", "ENCODING", "e44");
        Same("SET", "r45", new string('x', 45));
        Same("OBJECT", "ENCODING", "r45");
        Same("SET", "empty", "");
        Same("OBJECT", "ENCODING", "empty");
        Same("OBJECT", "ENCODING", "missing");
        Same("OBJECT", "REFCOUNT", "missing");
        Same("OBJECT", "IDLETIME", "missing");
        Same("OBJECT", "FREQ", "missing");
        Same("OBJECT", "FREQ", "i");
        Same("OBJECT", "ENCODING");
        Same("OBJECT", "ENCODING", "i", "extra");
        Same("OBJECT", "BOGUS", "i");
        Same("OBJECT");
        Same("MEMORY", "USAGE", "missing");
        Same("MEMORY", "USAGE", "i", "SAMPLES");
        Same("MEMORY", "USAGE", "i", "SAMPLES", "-1");
        Same("MEMORY", "USAGE", "i", "SAMPLES", "x");
        Same("MEMORY", "USAGE", "i", "BOGUS");
        Same("MEMORY", "USAGE");
        foreach (int length in new[] { 1, 7, 20, 21, 44, 45, 100, 120, 200, 255, 256, 1000, 5000, 70000 })
        {
            string key = new('k', length % 50 + 1);
            Same("SET", key, new string('v', length));
            Same("MEMORY", "USAGE", key);
            Same("MEMORY", "USAGE", key, "SAMPLES", "0");
        }
        Same("SET", "n", "-123456789012");
        Same("MEMORY", "USAGE", "n");
    }

    /// <summary>rdb_changes_since_last_save on one server: each counts from its own start, so tests compare differences.</summary>
    private static long ChangesSinceSave(RawClient client)
    {
        string info = System.Text.Encoding.UTF8.GetString(client.Call("INFO", "persistence"));
        var line = info.Split("\r\n").Single(l => l.StartsWith("rdb_changes_since_last_save:", StringComparison.Ordinal));
        return long.Parse(line.AsSpan("rdb_changes_since_last_save:".Length), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Runs the command on both and requires the same reply and the same change in the dirty counter.</summary>
    private void SameDirty(params string[] command)
    {
        var (redis, ours) = Clients;
        long redisBefore = ChangesSinceSave(redis), oursBefore = ChangesSinceSave(ours);
        Same(command);
        long redisDelta = ChangesSinceSave(redis) - redisBefore, oursDelta = ChangesSinceSave(ours) - oursBefore;
        Assert.True(redisDelta == oursDelta, $"{string.Join(' ', command)}: redis counted {redisDelta} changes, tieredkv {oursDelta}");
    }

    [SkippableFact]
    public void SetBit_CountsAChangeOnlyWhenSomethingChanged()
    {
        SameDirty("SETBIT", "b", "1", "1");
        SameDirty("SETBIT", "b", "1", "1");
        SameDirty("SETBIT", "b", "1", "0");
        SameDirty("SETBIT", "b", "1", "0");
        SameDirty("SETBIT", "b", "100", "0"); // grows the string
        SameDirty("SETBIT", "fresh", "0", "0"); // creates the key
    }

    [SkippableFact]
    public void BitField_CountsAChangeOnlyWhenSomethingChanged()
    {
        SameDirty("BITFIELD", "f", "SET", "u8", "0", "0"); // creates the key
        SameDirty("BITFIELD", "f", "SET", "u8", "0", "0");
        SameDirty("BITFIELD", "f", "INCRBY", "u8", "0", "0");
        SameDirty("BITFIELD", "f", "GET", "u8", "0");
        SameDirty("BITFIELD", "f", "SET", "u8", "0", "5");
        SameDirty("BITFIELD", "f", "OVERFLOW", "FAIL", "INCRBY", "u8", "0", "300");
    }
}

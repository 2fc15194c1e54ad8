using TieredKv.Server.Tests.Harness;

namespace TieredKv.Server.Tests.Differential;

/// <summary>
/// <c>redis.setresp</c> and the conversions between replies and Lua values in both protocols (script_lua.c), against
/// real Redis with RESP2 and RESP3 (HELLO 3) clients. Maps and sets hold one entry: their order is Lua's table order,
/// which differs between Redis's Lua 5.1 and ours.
/// </summary>
public sealed class ScriptRespDifferentialTests(DifferentialFixture fixture) : DifferentialTest(fixture)
{
    private void SameScript(string script) => Same("EVAL", script, "0");

    /// <summary>Runs each script on a RESP2 connection, then again after HELLO 3.</summary>
    private void SameInBothProtocols(params string[] scripts)
    {
        foreach (var script in scripts) SameScript(script);
        Setup("HELLO", "3");
        foreach (var script in scripts) SameScript(script);
    }

    [SkippableFact]
    public void SetResp3_MapReply_ComesToLuaAsATableWithAMapField()
    {
        RequireRedis();
        Setup("HSET", "h", "f", "v");
        SameInBothProtocols(
            "redis.setresp(3) local r = redis.call('hgetall', 'h') return {type(r), type(r.map), r.map.f}",
            "redis.setresp(3) return redis.call('hgetall', 'h')",
            "redis.setresp(3) return redis.call('hgetall', 'nokey')");
    }

    [SkippableFact]
    public void SetResp3_SetReply_ComesToLuaAsATableWithASetField()
    {
        RequireRedis();
        Setup("SADD", "s", "m");
        SameInBothProtocols(
            "redis.setresp(3) local r = redis.call('smembers', 's') return {type(r.set), tostring(r.set.m)}",
            "redis.setresp(3) return redis.call('smembers', 's')");
    }

    [SkippableFact]
    public void SetResp3_DoubleReply_ComesToLuaAsATableWithADoubleField()
    {
        RequireRedis();
        Setup("ZADD", "z", "1.5", "a");
        SameInBothProtocols(
            "redis.setresp(3) local r = redis.call('zscore', 'z', 'a') return {type(r), tostring(r.double)}",
            "redis.setresp(3) return redis.call('zscore', 'z', 'a')",
            "return redis.call('zscore', 'z', 'a')");
    }

    [SkippableFact]
    public void SetResp3_NullReply_IsNilNotFalse()
    {
        SameInBothProtocols(
            "redis.setresp(3) return {type(redis.call('get', 'nokey'))}",
            "return {type(redis.call('get', 'nokey'))}",
            "redis.setresp(3) return redis.call('get', 'nokey')");
    }

    [SkippableFact]
    public void SetResp3_BooleanReply_IsALuaBoolean()
    {
        RequireRedis();
        Setup("SADD", "s", "m");
        SameInBothProtocols(
            "redis.setresp(3) return {tostring(redis.call('smismember', 's', 'm', 'x')[2])}",
            "redis.setresp(3) return redis.call('smismember', 's', 'm', 'x')",
            "return redis.call('smismember', 's', 'm', 'x')");
    }

    [SkippableFact]
    public void SetResp3_VerbatimReply_ComesToLuaAsATableWithAVerbatimStringField()
    {
        SameInBothProtocols(
            "redis.setresp(3) local r = redis.call('info', 'keyspace') return {r.verbatim_string.format, type(r.verbatim_string.string)}",
            "return type(redis.call('info', 'keyspace'))");
    }

    [SkippableFact]
    public void SetResp3_StreamReplies_ComeToLuaAsTheirMaps()
    {
        RequireRedis();
        Setup("XADD", "st", "1-1", "a", "b");
        Setup("XGROUP", "CREATE", "st", "g", "0");
        SameInBothProtocols(
            "redis.setresp(3) local r = redis.call('xinfo', 'stream', 'st') return {type(r.map), r.map.length, r.map['last-generated-id']}",
            "redis.setresp(3) return redis.call('xread', 'streams', 'st', '0')",
            "redis.setresp(3) local r = redis.call('xinfo', 'groups', 'st') return {type(r[1].map), r[1].map.name}",
            "redis.setresp(3) return redis.call('xread', 'streams', 'st', '$')",
            "return redis.call('xread', 'streams', 'st', '$')");
    }

    [SkippableFact]
    public void SetResp3_StatusAndErrorReplies_AreUnchanged()
    {
        SameInBothProtocols(
            "redis.setresp(3) return redis.call('ping')",
            "redis.setresp(3) return redis.pcall('incr', 'nokey', 'x')",
            "redis.setresp(3) local r = redis.pcall('lpush') return r");
    }

    [SkippableFact]
    public void Booleans_AreOneAndNullUntilTheScriptChoosesResp3()
    {
        SameInBothProtocols("return true", "return false", "return {true, false, 1}");
    }

    [SkippableFact]
    public void Booleans_AreBooleansAfterSetResp3()
    {
        SameInBothProtocols("redis.setresp(3) return true", "redis.setresp(3) return false", "redis.setresp(3) return {true, false}");
    }

    [SkippableFact]
    public void SetResp_LastsOnlyForTheScriptThatCalledIt()
    {
        SameInBothProtocols("redis.setresp(3) return 1", "return false", "redis.setresp(3) redis.setresp(2) return false");
    }

    [SkippableFact]
    public void Numbers_AreIntegerRepliesOfTheirDoubles()
    {
        RequireRedis();
        Setup("SET", "big", "9007199254740994");
        SameInBothProtocols(
            "return 9007199254740993", "return 9223372036854775807", "return {123456789012345678, -9007199254740995}",
            "return {1, -1, 0, 2^31, 3.9, -3.9, 1/0, 0/0}", "return redis.call('incr', 'big')");
    }

    [SkippableFact]
    public void DoubleTable_IsWrittenAsADouble()
    {
        SameInBothProtocols(
            "return {double = 3.5}", "return {double = 1/3}", "return {double = 100}", "return {double = 1e300}",
            "return {double = 1/0}", "return {double = -1/0}", "return {double = 0/0}", "return {double = 'x'}");
    }

    [SkippableFact]
    public void BigNumberTable_IsWrittenAsABigNumber()
    {
        SameInBothProtocols(
            "return {big_number = '12345678901234567890'}", "return {big_number = 'a\\r\\nb'}", "return {big_number = 5}");
    }

    [SkippableFact]
    public void VerbatimStringTable_IsWrittenAsAVerbatimString()
    {
        SameInBothProtocols(
            "return {verbatim_string = {format = 'txt', string = 'hello'}}",
            "return {verbatim_string = {format = 'markdown', string = 'hi'}}",
            "return {verbatim_string = {format = 'x', string = 'hi'}}",
            "return {verbatim_string = {format = 'txt'}}");
    }

    [SkippableFact]
    public void MapAndSetTables_AreWrittenAsMapsAndSets()
    {
        SameInBothProtocols(
            "return {map = {a = 1}}", "return {map = {}}", "return {map = {a = {map = {b = true}}}}",
            "redis.setresp(3) return {map = {a = {map = {b = true}}}}", "return {set = {a = true}}", "return {set = {}}");
    }

    [SkippableFact]
    public void TableFields_AreTriedInRedissOrder()
    {
        SameInBothProtocols(
            "return {map = {a = 1}, set = {b = true}}", "return {ok = 'fine', map = {a = 1}}",
            "return {double = 2.5, big_number = '1'}", "return {err = 'ERR x', double = 1}");
    }

    [SkippableFact]
    public void StatusAndErrorTables_EndAtAZeroByte()
    {
        SameInBothProtocols(
            "return {ok = 'a\\0b'}", "return {err = 'E a\\0b'}", "return redis.status_reply('x\\0y')",
            "return redis.error_reply('x\\0y')", "return error({err = 'E a\\0b'})", "return {big_number = '1\\0 2'}");
    }

    [SkippableFact]
    public void SetResp_WrongArguments_Fail()
    {
        SameScript("return redis.setresp()");
        SameScript("return redis.setresp(4)");
        SameScript("return redis.setresp(2, 3)");
        SameScript("return redis.setresp('x')");
        SameScript("return redis.setresp(nil)");
        SameScript("return {pcall(redis.setresp, 4)}");
    }

    [SkippableFact]
    public void SetResp_NumericStringsAndFractionsAreTruncated()
    {
        RequireRedis();
        Setup("HSET", "h", "f", "v");
        SameScript("redis.setresp('3') return redis.call('hgetall', 'h')");
        SameScript("redis.setresp(3.9) return redis.call('hgetall', 'h')");
    }

    [SkippableFact]
    public void Functions_SetResp3_ConvertsTheirRepliesToo()
    {
        RequireRedis();
        Setup("HSET", "h", "f", "v");
        Setup("FUNCTION", "LOAD", "REPLACE",
            "#!lua name=resplib\nredis.register_function('resp3', function(keys, args) redis.setresp(3) " +
            "local r = redis.call('hgetall', keys[1]) return {r.map.f, true, {map = r.map}} end)");
        Same("FCALL", "resp3", "1", "h");
        Setup("HELLO", "3");
        Same("FCALL", "resp3", "1", "h");
        Setup("FUNCTION", "DELETE", "resplib");
    }
}

using TieredKv.Server.Tests.Harness;
using TieredKv.TestSupport;

namespace TieredKv.Server.Tests.Differential;

/// <summary>EVAL, EVALSHA, their _RO forms and SCRIPT against real Redis, replies compared byte for byte.</summary>
public sealed class ScriptingDifferentialTests(DifferentialFixture fixture) : DifferentialTest(fixture)
{
    [SkippableFact]
    public void LuaNumbers_BecomeIntegers_Truncated()
    {
        Same("EVAL", "return 42", "0");
        Same("EVAL", "return 3.99", "0");
        Same("EVAL", "return -3.99", "0");
        Same("EVAL", "return 10/4", "0");
        Same("EVAL", "return 1e20", "0");
    }

    [SkippableFact]
    public void LuaStringsBooleansAndNil_BecomeBulkIntegerAndNil()
    {
        Same("EVAL", "return 'hello'", "0");
        Same("EVAL", "return true", "0");
        Same("EVAL", "return false", "0");
        Same("EVAL", "return nil", "0");
        Same("EVAL", "return", "0");
    }

    [SkippableFact]
    public void LuaTables_BecomeArraysUpToTheFirstNil_WithNestedStatusAndErrors()
    {
        Same("EVAL", "return {1, 2, 3.9, 'x', {ok='fine'}, {err='bad'}, true, false, nil, 5}", "0");
        Same("EVAL", "return {1, {2, {3, 'deep'}}, {}}", "0");
    }

    /// <summary>Redis nests about 8000 levels before its error, ours 1000: the shape is compared, not the bytes.</summary>
    [SkippableFact]
    public void TableHoldingItself_EndsInTheStackLimitError()
    {
        RequireRedis();
        var (redis, ours) = Clients;
        var eval = new[] { "EVAL", "local t = {} t[1] = t return t", "0" };
        string expected = Show(redis.Call(eval)), actual = Show(ours.Call(eval));
        Assert.StartsWith(@"*1\r\n*1\r\n", actual);
        Assert.EndsWith(@"-ERR reached lua stack limit\r\n", expected);
        Assert.EndsWith(@"-ERR reached lua stack limit\r\n", actual);
        Same("PING");
    }

    [SkippableFact]
    public void OkAndErrTables_BecomeStatusAndErrorReplies()
    {
        Same("EVAL", "return {ok='fine'}", "0");
        Same("EVAL", "return {err='My Err'}", "0");
        Same("EVAL", "return redis.status_reply('st')", "0");
        Same("EVAL", "return redis.error_reply('FOO bar')", "0");
        Same("EVAL", "return redis.error_reply('bar')", "0");
        Same("EVAL", "return redis.error_reply('-bar')", "0");
        Same("EVAL", "return redis.error_reply(5)", "0");
    }

    [SkippableFact]
    public void KeysAndArgv_AreTheArgumentsSplitByNumkeys()
    {
        Same("EVAL", "return {KEYS[1], KEYS[2], ARGV[1], #KEYS, #ARGV}", "2", "k1", "k2", "a1", "a2", "a3");
        Same("EVAL", "return {#KEYS, #ARGV}", "0");
    }

    [SkippableFact]
    public void RedisCallReplies_BecomeLuaValues()
    {
        Same("SET", "s", "v");
        Same("RPUSH", "l", "a", "b");
        Same("EVAL", "return redis.call('get', KEYS[1])", "1", "s");
        Same("EVAL", "return type(redis.call('get', 'missing'))", "0");
        Same("EVAL", "return redis.call('set', 'k', 'v')['ok']", "0");
        Same("EVAL", "return redis.call('incr', 'n') + 1", "0");
        Same("EVAL", "return redis.call('lrange', 'l', 0, -1)", "0");
        Same("EVAL", "return redis.call('ping')", "0");
    }

    [SkippableFact]
    public void RedisCallNumberArguments_AreWrittenAsRedisDoes()
    {
        Same("EVAL", "redis.call('set', 'n', 3.5) return redis.call('get', 'n')", "0");
        Same("EVAL", "redis.call('set', 'n', 10/2) return redis.call('get', 'n')", "0");
        Same("EVAL", "redis.call('set', 'n', 1e20) return redis.call('get', 'n')", "0");
        Same("EVAL", "redis.call('set', 'n', 7) return redis.call('get', 'n')", "0");
    }

    [SkippableFact]
    public void RedisCallError_StopsTheScriptWithItsLine()
    {
        Same("SET", "s", "foo");
        Same("EVAL", "return redis.call('incr', 's')", "0");
        Same("EVAL", "local x = 1\nreturn redis.call('lpush', 's', 'x')", "0");
        Same("EVAL", "return redis.call('get', 's', 'extra')", "0");
        Same("EVAL", "return redis.call('nosuchcommand')", "0");
        Same("EVAL", "return redis.call()", "0");
        Same("EVAL", "return redis.call({})", "0");
    }

    [SkippableFact]
    public void RedisPcallError_IsReturnedAsAnErrorTable()
    {
        Same("SET", "s", "foo");
        Same("EVAL", "return redis.pcall('incr', 's')", "0");
        Same("EVAL", "return redis.pcall('incr', 's')['err']", "0");
        Same("EVAL", "return redis.pcall('nosuchcommand')", "0");
        Same("EVAL", "local ok, e = pcall(redis.call, 'incr', 's') return {tostring(ok), e}", "0");
    }

    [SkippableFact]
    public void CommandsFlaggedNoscript_AreRefused()
    {
        Same("EVAL", "return redis.call('multi')", "0");
        Same("EVAL", "return redis.call('blpop', 'l', 0)", "0");
        Same("EVAL", "return redis.call('eval', 'return 1', 0)", "0");
    }

    [SkippableFact]
    public void ErrorsOfTailCalledRedisCall_StillNameTheLine()
    {
        Same("SET", "s", "foo");
        Same("EVAL", "local a = 1\n\nreturn redis.call('incr', 's')", "0");
        Same("EVAL", "local function f()\n  return redis.call('incr', 's')\nend\nreturn f()", "0");
    }

    [SkippableFact]
    public void CompileError_HasRedisText()
    {
        Same("EVAL", "return +", "0");
        Same("SCRIPT", "LOAD", "return +");
    }

    [SkippableFact]
    public void RuntimeErrors_NameTheScriptAndLine()
    {
        Same("EVAL", "error('boom')", "0");
        Same("EVAL", "error({err='X boom'})", "0");
        Same("EVAL", "error('FOO bar', 0)", "0");
        Same("EVAL", "error()", "0");
        Same("EVAL", "local a = 1\nlocal b = 2\nerror('third line')", "0");
    }

    [SkippableFact]
    public void Globals_CannotBeReadUnsetOrCreated()
    {
        Same("EVAL", "return x", "0");
        Same("EVAL", "x = 1", "0");
        Same("EVAL", "local x = 1 return x", "0");
    }

    [SkippableFact]
    public void Lua51Names_AreAvailable()
    {
        Same("EVAL", "return unpack({1, 2})", "0");
        Same("EVAL", "return math.pow(2, 3)", "0");
        Same("EVAL", "return tostring(10/2)", "0");
        Same("EVAL", "return tostring(1e15)", "0");
    }

    [SkippableFact]
    public void NumKeys_IsChecked()
    {
        Same("EVAL", "return 1", "2", "a");
        Same("EVAL", "return 1", "-1");
        Same("EVAL", "return 1", "abc");
        Same("EVAL", "return 1");
    }

    [SkippableFact]
    public void EvalSha_RunsAScriptLoadedBefore()
    {
        string sha = Same("SCRIPT", "LOAD", "return {KEYS[1], ARGV[1]}");
        Same("EVALSHA", Sha(sha), "1", "k", "v");
        Same("EVALSHA", Sha(sha).ToUpperInvariant(), "1", "k", "v");
    }

    [SkippableFact]
    public void EvalSha_OfAnUnknownScript_IsNoscript()
    {
        Same("EVALSHA", "ffffffffffffffffffffffffffffffffffffffff", "0");
        Same("EVALSHA", "abc", "0");
    }

    [SkippableFact]
    public void Eval_CachesItsScriptForEvalSha()
    {
        Same("SCRIPT", "FLUSH");
        const string script = "return 'cached'";
        string sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA1.HashData(System.Text.Encoding.UTF8.GetBytes(script)));
        Same("SCRIPT", "EXISTS", sha);
        Same("EVAL", script, "0");
        Same("EVALSHA", sha, "0");
        Same("SCRIPT", "EXISTS", sha);
    }

    [SkippableFact]
    public void ScriptExistsAndFlush()
    {
        Same("SCRIPT", "FLUSH");
        string sha = Sha(Same("SCRIPT", "LOAD", "return 1"));
        Same("SCRIPT", "EXISTS", sha, "ffffffffffffffffffffffffffffffffffffffff", sha.ToUpperInvariant());
        Same("SCRIPT", "FLUSH", "ASYNC");
        Same("SCRIPT", "EXISTS", sha);
        Same("EVALSHA", sha, "0");
        Same("SCRIPT", "FLUSH", "SYNC");
        Same("SCRIPT", "FLUSH", "BAD");
        Same("SCRIPT", "EXISTS");
    }

    [SkippableFact]
    public void ScriptKillDebugAndHelp()
    {
        Same("SCRIPT", "KILL");
        Same("SCRIPT", "DEBUG", "NO");
        Same("SCRIPT", "DEBUG", "BAD");
        Same("SCRIPT", "HELP");
        Same("SCRIPT", "NOSUCH");
    }

    [SkippableFact]
    public void EvalRo_RefusesWrites_AndAllowsReads()
    {
        Same("SET", "k", "v");
        Same("EVAL_RO", "return redis.call('get', KEYS[1])", "1", "k");
        Same("EVAL_RO", "return redis.call('set', 'k', 'w')", "0");
        Same("EVAL_RO", "return redis.pcall('set', 'k', 'w')", "0");
        string sha = Sha(Same("SCRIPT", "LOAD", "return redis.call('del', 'k')"));
        Same("EVALSHA_RO", sha, "0");
        Same("GET", "k");
    }

    [SkippableFact]
    public void ShebangNoWrites_RefusesWrites()
    {
        Same("EVAL", "#!lua flags=no-writes\nreturn redis.call('set', 'a', '1')", "0");
        Same("EVAL", "#!lua flags=no-writes\nreturn redis.call('get', 'a')", "0");
        Same("EVAL_RO", "#!lua flags=no-writes\nreturn 1", "0");
        Same("EVAL_RO", "#!lua\nreturn 1", "0");
        Same("EXISTS", "a");
    }

    [SkippableFact]
    public void ShebangErrors_HaveRedisText()
    {
        Same("EVAL", "#!lua flags=bogus\nreturn 1", "0");
        Same("EVAL", "#!lua name=x\nreturn 1", "0");
        Same("EVAL", "#!python\nreturn 1", "0");
        Same("EVAL", "#!lua", "0");
        Same("EVAL", "#!lua flags=\nreturn 1", "0");
        Same("EVAL", "#!lua flags=allow-oom,allow-stale,no-cluster,allow-cross-slot-keys\nreturn 2", "0");
    }

    [SkippableFact]
    public void RedlockRelease_IsAnAtomicCompareAndDelete()
    {
        const string release = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";
        Same("SET", "lock", "token-1");
        Same("EVAL", release, "1", "lock", "token-2");
        Same("GET", "lock");
        Same("EVAL", release, "1", "lock", "token-1");
        Same("EXISTS", "lock");
    }

    [SkippableFact]
    public void ScriptWrites_AreVisibleAfterwards()
    {
        Same("EVAL", "redis.call('hset', KEYS[1], 'f', ARGV[1]) redis.call('rpush', KEYS[2], ARGV[1], ARGV[1]) return redis.call('expire', KEYS[1], 100)", "2", "h", "l", "v");
        Same("HGETALL", "h");
        Same("LRANGE", "l", "0", "-1");
        Same("TTL", "h");
        Same("DBSIZE");
    }

    [SkippableFact]
    public void SelectInsideAScript_DoesNotChangeTheCallersDatabase()
    {
        Same("EVAL", "redis.call('select', 1) redis.call('set', 'in1', 'x') return 1", "0");
        Same("EXISTS", "in1");
        Same("SELECT", "1");
        Same("GET", "in1");
        Same("DEL", "in1");
        Same("SELECT", "0");
    }

    [SkippableFact]
    public void RedisLibraryHelpers_Work()
    {
        Same("EVAL", "return redis.sha1hex('')", "0");
        Same("EVAL", "return redis.sha1hex()", "0");
        Same("EVAL", "return {redis.LOG_DEBUG, redis.LOG_VERBOSE, redis.LOG_NOTICE, redis.LOG_WARNING}", "0");
        Same("EVAL", "redis.log(redis.LOG_WARNING, 'from a script') return 1", "0");
        Same("EVAL", "redis.log(99, 'x')", "0");
        Same("EVAL", "redis.log(1)", "0");
    }

    [SkippableFact]
    public void EvalInsideMulti_RunsAtExec()
    {
        Same("MULTI");
        Same("EVAL", "return redis.call('incr', KEYS[1])", "1", "counter");
        Same("EVAL", "return redis.call('incr', KEYS[1])", "1", "counter");
        Same("EXEC");
    }

    [SkippableFact]
    public void ScriptCommands_ArityErrors()
    {
        Same("EVAL", "return 1");
        Same("EVALSHA");
        Same("SCRIPT", "LOAD");
        Same("SCRIPT", "KILL", "x");
    }

    [SkippableFact]
    public void ScriptPastBusyThreshold_MakesOthersBusy_AndScriptKillStopsIt()
    {
        RequireRedis();
        using var other = NewConnections();
        Same("CONFIG", "SET", "busy-reply-threshold", "100");
        try
        {
            var (redis, ours) = Clients;
            var eval = RawClient.Encode(["EVAL"u8.ToArray(), "local i = 0 while true do i = i + 1 end"u8.ToArray(), "0"u8.ToArray()]);
            redis.SendRaw(eval);
            ours.SendRaw(eval);
            // Long past the 100 ms threshold even on a loaded machine: a command sent before a script turns busy
            // waits for the script instead (ours: on the execution lock), so the test must not probe earlier.
            Thread.Sleep(1000);
            SameOn(other, "PING");
            SameOn(other, "GET", "x");
            SameOn(other, "SCRIPT", "KILL");
            Assert.Equal(Show(redis.ReadReply()), Show(ours.ReadReply()));
            SameOn(other, "SCRIPT", "KILL");
            SameOn(other, "PING");
        }
        finally
        {
            Same("CONFIG", "SET", "busy-reply-threshold", "5000");
        }
    }

    [SkippableFact]
    public void BusyScriptThatWrote_IsUnkillable()
    {
        RequireRedis();
        using var other = NewConnections();
        Same("CONFIG", "SET", "busy-reply-threshold", "100");
        try
        {
            var (redis, ours) = Clients;
            const string script = "redis.call('set', 'x', '1') local s = redis.call('time') " +
                "while true do local n = redis.call('time') if (n[1] - s[1]) * 1000000 + (n[2] - s[2]) > 3000000 then break end end return 7";
            var eval = RawClient.Encode(["EVAL"u8.ToArray(), System.Text.Encoding.UTF8.GetBytes(script), "0"u8.ToArray()]);
            redis.SendRaw(eval);
            ours.SendRaw(eval);
            // Long past the 100 ms threshold even on a loaded machine: a command sent before a script turns busy
            // waits for the script instead (ours: on the execution lock), so the test must not probe earlier.
            Thread.Sleep(1000);
            SameOn(other, "SCRIPT", "KILL");
            Assert.Equal(Show(redis.ReadReply()), Show(ours.ReadReply()));
            SameOn(other, "GET", "x");
        }
        finally
        {
            Same("CONFIG", "SET", "busy-reply-threshold", "5000");
        }
    }

    /// <summary>The SHA1 out of a bulk reply as the harness shows it (<c>$40\r\n…\r\n</c>, its CRLFs written out).</summary>
    private static string Sha(string bulkReply) => bulkReply.Split(@"\r\n")[1];
}

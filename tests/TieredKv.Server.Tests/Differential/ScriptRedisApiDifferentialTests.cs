using TieredKv.Server.Tests.Harness;

namespace TieredKv.Server.Tests.Differential;

/// <summary>The rest of the <c>redis</c> table scripts see (set_repl and its flags, acl_check_cmd, replicate_commands, the debugger hooks, constants) against real Redis.</summary>
public sealed class ScriptRedisApiDifferentialTests(DifferentialFixture fixture) : DifferentialTest(fixture)
{
    private void SameScript(string script) => Same("EVAL", script, "0");

    [SkippableFact]
    public void ReplicationFlags_HaveRedissValues()
    {
        SameScript("return {redis.REPL_NONE, redis.REPL_AOF, redis.REPL_SLAVE, redis.REPL_REPLICA, redis.REPL_ALL}");
    }

    [SkippableFact]
    public void SetRepl_AcceptsEachFlagCombination()
    {
        SameScript("redis.set_repl(redis.REPL_NONE) redis.set_repl(redis.REPL_AOF) redis.set_repl(redis.REPL_REPLICA) " +
                   "return redis.set_repl(redis.REPL_ALL)");
        SameScript("redis.set_repl('3') return redis.set_repl(2.5)");
        SameScript("redis.set_repl(redis.REPL_NONE) return redis.call('set', 'k', 'v')");
    }

    [SkippableFact]
    public void SetRepl_NotAFlag_NotOneArgument_Fail()
    {
        SameScript("return redis.set_repl(4)");
        SameScript("return redis.set_repl(-1)");
        SameScript("return redis.set_repl(2^40)");
        SameScript("return redis.set_repl()");
        SameScript("return redis.set_repl(1, 2)");
        SameScript("return {pcall(redis.set_repl, 8)}");
    }

    [SkippableFact]
    public void SetRepl_NonNumberIsReplNone()
    {
        SameScript("return redis.set_repl('x')");
        SameScript("return redis.set_repl({})");
    }

    [SkippableFact]
    public void ReplicateCommands_AnswersTrue()
    {
        SameScript("return redis.replicate_commands()");
        SameScript("return tostring(redis.replicate_commands())");
    }

    [SkippableFact]
    public void Breakpoint_OutsideTheDebugger_AnswersFalse()
    {
        SameScript("return redis.breakpoint()");
        SameScript("return tostring(redis.breakpoint())");
    }

    [SkippableFact]
    public void Debug_OutsideTheDebugger_DoesNothing()
    {
        SameScript("return {redis.debug('x', 1, {})}");
        SameScript("return redis.debug()");
    }

    [SkippableFact]
    public void LogLevelsAndVersion_AreConstants()
    {
        SameScript("return {redis.LOG_DEBUG, redis.LOG_VERBOSE, redis.LOG_NOTICE, redis.LOG_WARNING}");
        SameScript("return type(redis.REDIS_VERSION) .. type(redis.REDIS_VERSION_NUM)");
    }

    [SkippableFact]
    public void AclCheckCmd_KnownCommandsAndSubcommands_AreAllowedForTheDefaultUser()
    {
        SameScript("return redis.acl_check_cmd('get', 'x')");
        SameScript("return redis.acl_check_cmd('GET')");
        SameScript("return redis.acl_check_cmd('config')");
        SameScript("return redis.acl_check_cmd('config', 'get', 'x')");
    }

    [SkippableFact]
    public void AclCheckCmd_UnknownCommandOrBadArguments_Fail()
    {
        SameScript("return redis.acl_check_cmd('nosuch')");
        SameScript("return redis.acl_check_cmd('config', 'nosuch')");
        SameScript("return redis.acl_check_cmd('config|get')");
        SameScript("return redis.acl_check_cmd(1)");
        SameScript("return redis.acl_check_cmd()");
        SameScript("return redis.acl_check_cmd('get', {})");
        SameScript("return {pcall(redis.acl_check_cmd, 'nosuch')}");
    }

    [SkippableFact]
    public void Functions_LackEvalsDebuggerCalls()
    {
        RequireRedis();
        Setup("FUNCTION", "LOAD", "REPLACE",
            "#!lua name=apilib\n" +
            "redis.register_function('api', function(keys, args) local r = {} for _, n in ipairs({'breakpoint', 'debug', " +
            "'replicate_commands', 'setresp', 'set_repl', 'acl_check_cmd', 'register_function'}) do r[#r + 1] = n .. '=' .. type(redis[n]) end return r end)\n" +
            "redis.register_function('bp', function(keys, args) return redis.breakpoint() end)");
        Same("FCALL", "api", "0");
        Same("FCALL", "bp", "0");
        SameScript("return type(redis.breakpoint)");
        Same("FCALL", "api", "0");
        Setup("FUNCTION", "DELETE", "apilib");
    }

    [SkippableFact]
    public void Call_NumberArguments_AreWrittenWithSeventeenDigits()
    {
        SameScript("local r = {} for i, v in ipairs({1/3, 1e20, 0.1, 2^53, 123456789012345678, -0.0, 1e-7, 1e21, 1e16, 1e15, " +
                   "123456.5, 5e-324, 1.7976931348623157e308, 100, -5.25e-10}) do redis.call('set', 'k', v) r[i] = redis.call('get', 'k') end return r");
        SameScript("local r = {} for i, v in ipairs({1, -1, 0, 2^63, -2^63, 9007199254740993, 3.14159, 1e-5, 1e-4}) do " +
                   "redis.call('set', 'k', v) r[i] = redis.call('get', 'k') end return r");
        SameScript("local r = {} for i, v in ipairs({0/0, -(0/0), 1/0, -1/0}) do redis.call('set', 'k', v) r[i] = redis.call('get', 'k') end return r");
        SameScript("return redis.call('incrbyfloat', 'f', 0.1)");
    }

    [SkippableFact]
    public void RedisTable_IsReadOnly()
    {
        SameScript("redis.call = nil return 1");
        SameScript("redis.x = 1 return 1");
        SameScript("local n = 0 for _ in pairs(redis) do n = n + 1 end return n > 20");
    }
}

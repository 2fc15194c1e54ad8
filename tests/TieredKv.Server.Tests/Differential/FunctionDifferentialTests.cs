using TieredKv.Rdb;
using TieredKv.Server.Tests.Harness;

namespace TieredKv.Server.Tests.Differential;

/// <summary>Redis 7.0 functions (FUNCTION …, FCALL, FCALL_RO) against real Redis, replies compared byte for byte.</summary>
public sealed class FunctionDifferentialTests : DifferentialTest
{
    private const string Echo = "#!lua name=echolib\nredis.register_function('echo', function(keys, args) return {keys, args} end)";
    private const string Named = "#!lua name=namedlib\nredis.register_function{function_name='reader', callback=function(keys) return redis.call('GET', keys[1]) end, flags={'no-writes', 'allow-stale'}, description='reads a key'}";
    private const string Writer = "#!lua name=writerlib\nredis.register_function('writer', function(keys, args) return redis.call('SET', keys[1], args[1]) end)";

    public FunctionDifferentialTests(DifferentialFixture fixture) : base(fixture)
    {
        if (fixture.RedisAvailable) Setup("FUNCTION", "FLUSH");
    }

    [SkippableFact]
    public void Load_AnswersTheLibraryName()
    {
        Same("FUNCTION", "LOAD", Echo);
    }

    [SkippableFact]
    public void FCall_PassesKeysAndArgvAsTheFunctionsArguments()
    {
        Setup("FUNCTION", "LOAD", Echo);
        Same("FCALL", "echo", "2", "k1", "k2", "a1", "a2", "a3");
        Same("FCALL", "echo", "0");
    }

    [SkippableFact]
    public void FCall_RunsCommandsThroughRedisCall()
    {
        Setup("FUNCTION", "LOAD", Writer);
        Setup("FUNCTION", "LOAD", Named);
        Same("FCALL", "writer", "1", "fk", "value");
        Same("FCALL", "reader", "1", "fk");
        Same("GET", "fk");
    }

    [SkippableFact]
    public void FCall_OfAnUnknownFunction_IsFunctionNotFound()
    {
        Same("FCALL", "nosuch", "0");
    }

    [SkippableFact]
    public void FCall_WithBadNumkeys_IsRefused()
    {
        Setup("FUNCTION", "LOAD", Echo);
        Same("FCALL", "echo", "-1");
        Same("FCALL", "echo", "5", "a");
        Same("FCALL", "echo", "x");
    }

    [SkippableFact]
    public void FCallRo_RefusesAFunctionWithoutNoWrites_AndRunsOneWithIt()
    {
        Setup("FUNCTION", "LOAD", Writer);
        Setup("FUNCTION", "LOAD", Named);
        Setup("SET", "rk", "v");
        Same("FCALL_RO", "writer", "1", "rk", "x");
        Same("FCALL_RO", "reader", "1", "rk");
    }

    [SkippableFact]
    public void NoWritesFunction_CannotWrite()
    {
        Setup("FUNCTION", "LOAD", "#!lua name=ro\nredis.register_function{function_name='tries', callback=function(keys) return redis.pcall('SET', keys[1], 'x') end, flags={'no-writes'}}");
        Same("FCALL", "tries", "1", "wk");
        Same("EXISTS", "wk");
    }

    [SkippableFact]
    public void Load_OfAnExistingLibrary_IsRefusedWithoutReplace()
    {
        Setup("FUNCTION", "LOAD", Echo);
        Same("FUNCTION", "LOAD", Echo);
        Same("FUNCTION", "LOAD", "REPLACE", "#!lua name=echolib\nredis.register_function('echo2', function() return 2 end)");
        Same("FCALL", "echo", "0");
        Same("FCALL", "echo2", "0");
    }

    [SkippableFact]
    public void Load_OfAFunctionAnotherLibraryHas_IsRefused()
    {
        Setup("FUNCTION", "LOAD", Echo);
        Same("FUNCTION", "LOAD", "#!lua name=other\nredis.register_function('echo', function() return 1 end)");
        Same("FUNCTION", "LIST", "LIBRARYNAME", "other");
    }

    [SkippableFact]
    public void Load_WithBadMetadata_GivesRedisErrors()
    {
        Same("FUNCTION", "LOAD", "return 1");
        Same("FUNCTION", "LOAD", "#!lua\nredis.register_function('f', function() return 1 end)");
        Same("FUNCTION", "LOAD", "#!lua name=bad-name\nredis.register_function('f', function() return 1 end)");
        Same("FUNCTION", "LOAD", "#!lua name=x foo=bar\nredis.register_function('f', function() return 1 end)");
        Same("FUNCTION", "LOAD", "#!js name=x\nredis.register_function('f', function() return 1 end)");
        Same("FUNCTION", "LOAD", "FOO", Echo);
    }

    [SkippableFact]
    public void Load_WithoutFunctions_OrWithBadRegistrations_GivesRedisErrors()
    {
        Same("FUNCTION", "LOAD", "#!lua name=empty\nlocal x = 1");
        Same("FUNCTION", "LOAD", "#!lua name=l\nredis.register_function('f', 5)");
        Same("FUNCTION", "LOAD", "#!lua name=l\nredis.register_function{function_name='f', callback=function() end, flags={'bogus'}}");
        Same("FUNCTION", "LOAD", "#!lua name=l\nredis.register_function{function_name='f', callback=function() end, other=1}");
        Same("FUNCTION", "LOAD", "#!lua name=l\nredis.register_function{callback=function() end}");
        Same("FUNCTION", "LOAD", "#!lua name=l\nredis.register_function('f f', function() end)");
        Same("FUNCTION", "LOAD", "#!lua name=l\nredis.register_function('f')");
        Same("FUNCTION", "LIST");
    }

    [SkippableFact]
    public void RegisterFunction_OutsideLoad_DoesNotExist()
    {
        Setup("FUNCTION", "LOAD", "#!lua name=late\nredis.register_function('late', function() return type(redis.register_function) end)");
        Same("FCALL", "late", "0");
    }

    [SkippableFact]
    public void List_ShowsNamesDescriptionsFlagsAndCode()
    {
        Setup("FUNCTION", "LOAD", Named);
        Same("FUNCTION", "LIST");
        Same("FUNCTION", "LIST", "WITHCODE");
        Same("FUNCTION", "LIST", "LIBRARYNAME", "name*", "WITHCODE");
        Same("FUNCTION", "LIST", "LIBRARYNAME", "zzz*");
    }

    [SkippableFact]
    public void List_WithBadArguments_GivesRedisErrors()
    {
        Same("FUNCTION", "LIST", "LIBRARYNAME");
        Same("FUNCTION", "LIST", "WITHCODE", "WITHCODE");
        Same("FUNCTION", "LIST", "FOO");
    }

    [SkippableFact]
    public void Delete_RemovesTheLibraryAndItsFunctions()
    {
        Setup("FUNCTION", "LOAD", Echo);
        Same("FUNCTION", "DELETE", "echolib");
        Same("FCALL", "echo", "0");
        Same("FUNCTION", "DELETE", "echolib");
    }

    [SkippableFact]
    public void Flush_RemovesEveryLibrary_AndChecksItsMode()
    {
        Setup("FUNCTION", "LOAD", Echo);
        Same("FUNCTION", "FLUSH", "SYNC");
        Same("FUNCTION", "LIST");
        Same("FUNCTION", "FLUSH", "BOGUS");
        Same("FUNCTION", "FLUSH", "ASYNC");
    }

    [SkippableFact]
    public void Stats_CountsLibrariesAndFunctions()
    {
        Setup("FUNCTION", "LOAD", Echo);
        Setup("FUNCTION", "LOAD", Named);
        Same("FUNCTION", "STATS");
    }

    [SkippableFact]
    public void Kill_WithNothingRunning_IsNotBusy()
    {
        Same("FUNCTION", "KILL");
    }

    [SkippableFact]
    public void Help_IsRedisText()
    {
        Same("FUNCTION", "HELP");
    }

    [SkippableFact]
    public void Restore_WithABadPolicy_IsRefused()
    {
        Same("FUNCTION", "RESTORE", "payload", "BOGUS");
    }

    private static byte[] Bytes(string text) => System.Text.Encoding.UTF8.GetBytes(text);

    private void SameRestore(byte[] payload, params string[] policy) => Same([Bytes("FUNCTION"), Bytes("RESTORE"), payload, .. policy.Select(Bytes)]);

    [SkippableFact]
    public void Restore_OfAPayloadWithABadChecksum_IsRefused()
    {
        byte[] payload = FunctionsPayload.Encode([Bytes(Echo)]);
        payload[^1] ^= 0xFF;
        SameRestore(payload);
    }

    [SkippableFact]
    public void Restore_OfAKeysDumpPayload_IsNotAFunction()
    {
        SameRestore(DumpPayload.EncodeString("value"u8));
    }

    [SkippableFact]
    public void Restore_Append_OfALoadedLibrary_IsRefusedAndKeepsIt()
    {
        Setup("FUNCTION", "LOAD", Echo);
        SameRestore(FunctionsPayload.Encode([Bytes(Echo)]));
        Same("FCALL", "echo", "0", "still");
    }

    [SkippableFact]
    public void Restore_Replace_ReplacesALoadedLibrary()
    {
        Setup("FUNCTION", "LOAD", Echo);
        SameRestore(FunctionsPayload.Encode([Bytes(Echo.Replace("{keys, args}", "'replaced'", StringComparison.Ordinal))]), "REPLACE");
        Same("FCALL", "echo", "0");
    }

    [SkippableFact]
    public void Restore_Flush_LeavesOnlyThePayloadsLibraries()
    {
        Setup("FUNCTION", "LOAD", Echo);
        SameRestore(FunctionsPayload.Encode([Bytes(Writer)]), "FLUSH");
        Same("FUNCTION", "LIST", "LIBRARYNAME", "echolib");
        Same("FCALL", "writer", "1", "rk", "rv");
    }

    [SkippableFact]
    public void Restore_OfAFunctionThatCollidesWithAnotherLibrary_IsRefused()
    {
        Setup("FUNCTION", "LOAD", Echo);
        SameRestore(FunctionsPayload.Encode([Bytes("#!lua name=other\nredis.register_function('echo', function() return 1 end)")]));
    }

    [SkippableFact]
    public void Restore_OfAnEmptyPayload_FlushesUnderFlush()
    {
        Setup("FUNCTION", "LOAD", Echo);
        SameRestore(FunctionsPayload.Encode([]), "FLUSH");
        Same("FUNCTION", "LIST");
    }

    [SkippableFact]
    public void Restore_WithTooManyArguments_IsASubcommandSyntaxError()
    {
        Same("FUNCTION", "restore", "payload", "APPEND", "extra");
    }
}

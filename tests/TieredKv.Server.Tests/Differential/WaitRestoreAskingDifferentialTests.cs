using System.Diagnostics;
using TieredKv.Server.Tests.Harness;

namespace TieredKv.Server.Tests.Differential;

/// <summary>WAIT on a server without replicas, and RESTORE-ASKING, against real Redis.</summary>
public sealed class WaitRestoreAskingDifferentialTests(DifferentialFixture fixture) : DifferentialTest(fixture)
{
    [SkippableFact]
    public void Wait_ForNoReplicas_AnswersZeroAtOnce()
    {
        Same("WAIT", "0", "0");
        Same("WAIT", "-3", "0");
        Same("WAIT", "0", "100000");
    }

    [SkippableFact]
    public void Wait_BadArguments_AnswerRedisErrors()
    {
        Same("WAIT", "x", "10");
        Same("WAIT", "1", "x");
        Same("WAIT", "1", "1.5");
        Same("WAIT", "1", "-1");
        Same("WAIT", "1");
    }

    [SkippableFact]
    public void Wait_ForOneReplica_AnswersZeroAfterTheTimeout()
    {
        var watch = Stopwatch.StartNew();
        Same("WAIT", "1", "200");
        Assert.True(watch.ElapsedMilliseconds >= 380, $"both servers together waited only {watch.ElapsedMilliseconds} ms");
    }

    [SkippableFact]
    public void Wait_InsideMulti_AnswersAtOnce()
    {
        Same("MULTI");
        Same("WAIT", "5", "0");
        Same("EXEC");
    }

    [SkippableFact]
    public void RestoreAsking_RestoresAsRestore()
    {
        Same("RPUSH", "src", "a", "b", "c");
        byte[] payload = DumpPayload("src");
        SameBytes("RESTORE-ASKING", "copy", "0", payload);
        Same("LRANGE", "copy", "0", "-1");
        SameBytes("RESTORE-ASKING", "copy", "0", payload);
        SameBytes("RESTORE-ASKING", "copy", "0", payload, "REPLACE");
        Same("RESTORE-ASKING", "copy", "0", "garbage", "REPLACE");
        Same("RESTORE-ASKING", "copy");
    }

    /// <summary>The DUMP payload of a key on real Redis.</summary>
    private byte[] DumpPayload(string key)
    {
        byte[] reply = Clients.Redis.Call("DUMP", key);
        int headerEnd = Array.IndexOf(reply, (byte)'\n') + 1;
        return reply[headerEnd..^2];
    }

    /// <summary>As <see cref="DifferentialTest.Same"/> with one binary argument (the payload) among text ones.</summary>
    private void SameBytes(string command, string key, string ttl, byte[] payload, params string[] options)
    {
        var utf8 = System.Text.Encoding.UTF8;
        byte[][] args = [utf8.GetBytes(command), utf8.GetBytes(key), utf8.GetBytes(ttl), payload, .. options.Select(utf8.GetBytes)];
        string expected = utf8.GetString(Clients.Redis.Call(args)), actual = utf8.GetString(Clients.Ours.Call(args));
        Assert.Equal(expected, actual);
    }
}

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

    [SkippableTheory]
    [InlineData("TIMEOUT")]
    [InlineData("ERROR")]
    public void Wait_WithoutTimeout_BlocksUntilClientUnblock(string reason)
    {
        using var pair = new Security.ServerPair("");
        var waiters = pair.Connect();
        var admins = pair.Connect();
        long Id(RawClient client) => long.Parse(System.Text.Encoding.ASCII.GetString(client.Call("CLIENT", "ID"))[1..^2], System.Globalization.CultureInfo.InvariantCulture);
        long redisId = Id(waiters.Redis), oursId = Id(waiters.Ours);
        waiters.Redis.SendRaw("*3\r\n$4\r\nWAIT\r\n$1\r\n1\r\n$1\r\n0\r\n"u8.ToArray());
        waiters.Ours.SendRaw("*3\r\n$4\r\nWAIT\r\n$1\r\n1\r\n$1\r\n0\r\n"u8.ToArray());
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (!BlockedClients(admins.Ours).Contains("blocked_clients:1", StringComparison.Ordinal) ||
               !BlockedClients(admins.Redis).Contains("blocked_clients:1", StringComparison.Ordinal))
        {
            Assert.True(DateTime.UtcNow < deadline, "WAIT did not block");
            Thread.Sleep(10);
        }
        Assert.Equal(Security.ServerPair.Show(admins.Redis.Call("CLIENT", "UNBLOCK", redisId.ToString(System.Globalization.CultureInfo.InvariantCulture), reason)),
            Security.ServerPair.Show(admins.Ours.Call("CLIENT", "UNBLOCK", oursId.ToString(System.Globalization.CultureInfo.InvariantCulture), reason)));
        Assert.Equal(Security.ServerPair.Show(waiters.Redis.ReadReply()), Security.ServerPair.Show(waiters.Ours.ReadReply()));
    }

    private static string BlockedClients(RawClient client) => System.Text.Encoding.UTF8.GetString(client.Call("INFO", "clients"));

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

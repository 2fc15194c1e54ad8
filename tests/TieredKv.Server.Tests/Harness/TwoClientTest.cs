using System.Diagnostics;
using System.Text;

namespace TieredKv.Server.Tests.Harness;

/// <summary>
/// Base of tests that need one server of ours and two connections to it: one that blocks, pauses or is
/// silenced, and another that acts on it.
/// </summary>
public abstract class TwoClientTest : IDisposable
{
    protected TieredKvServer Server { get; } = new();
    protected RawClient Client { get; }
    protected RawClient Other { get; }

    protected TwoClientTest()
    {
        Client = new RawClient(Server.Port);
        Other = new RawClient(Server.Port);
    }

    public void Dispose()
    {
        Client.Dispose();
        Other.Dispose();
        Server.Dispose();
        GC.SuppressFinalize(this);
    }

    protected static string Call(RawClient client, params string[] args) => Encoding.UTF8.GetString(client.Call(args));

    /// <summary>Sends a command without waiting for its reply (one that blocks).</summary>
    protected static void Send(RawClient client, params string[] args) =>
        client.SendRaw(RawClient.Encode(args.Select(Encoding.UTF8.GetBytes).ToArray()));

    protected static string Read(RawClient client) => Encoding.UTF8.GetString(client.ReadReply());

    /// <summary>Waits until the server has <paramref name="count"/> clients blocked.</summary>
    protected void WaitBlocked(int count)
    {
        var clock = Stopwatch.StartNew();
        while (Server.State.Blocked.Count != count)
        {
            Assert.True(clock.ElapsedMilliseconds < 5000, $"expected {count} blocked clients, have {Server.State.Blocked.Count}");
            Thread.Sleep(5);
        }
    }
}

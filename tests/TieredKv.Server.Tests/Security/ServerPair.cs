using System.Text;
using TieredKv.Server.Config;
using TieredKv.Server.Tests.Harness;

namespace TieredKv.Server.Tests.Security;

/// <summary>A redis-server and our server started with the same security settings, for comparing how each treats a client.</summary>
internal sealed class ServerPair : IDisposable
{
    public ServerPair(string redisArguments, Action<ServerOptions>? configure = null)
    {
        Skip.IfNot(RedisServer.Installed, RedisServer.SkipMessage);
        Redis = new RedisServer(redisArguments);
        Ours = new TieredKvServer(configure);
    }

    public RedisServer Redis { get; }
    public TieredKvServer Ours { get; }

    public (RawClient Redis, RawClient Ours) Connect(string host = "127.0.0.1") => (new RawClient(Redis.Port, host), new RawClient(Ours.Port, host));

    /// <summary>Sends one command on each connection and requires byte-identical replies.</summary>
    public static string Same((RawClient Redis, RawClient Ours) clients, params string[] command)
    {
        string expected = Show(clients.Redis.Call(command)), actual = Show(clients.Ours.Call(command));
        Assert.True(expected == actual, $"{string.Join(' ', command)}\n  redis:    {expected}\n  tieredkv: {actual}");
        return expected;
    }

    /// <summary>Sends raw bytes on each connection and requires byte-identical next replies.</summary>
    public static string SameRaw((RawClient Redis, RawClient Ours) clients, string request)
    {
        clients.Redis.SendRaw(Encoding.ASCII.GetBytes(request));
        clients.Ours.SendRaw(Encoding.ASCII.GetBytes(request));
        string expected = Show(clients.Redis.ReadReply()), actual = Show(clients.Ours.ReadReply());
        Assert.True(expected == actual, $"{request}\n  redis:    {expected}\n  tieredkv: {actual}");
        return expected;
    }

    public static string Show(byte[] reply) => Encoding.UTF8.GetString(reply).Replace("\r\n", "\\r\\n");

    public void Dispose()
    {
        Redis.Dispose();
        Ours?.Dispose();
    }
}

namespace TieredKv.Server.Tests.Harness;

/// <summary>One real Redis and one TieredKv server for a whole test class.</summary>
public sealed class DifferentialFixture : IDisposable
{
    public RedisServerProcess Redis { get; } = new();
    public TieredKvServer Ours { get; } = new();

    public void Dispose()
    {
        Redis.Dispose();
        Ours.Dispose();
    }
}

/// <summary>
/// Base of the differential tests: each test opens a connection to both servers, flushes both,
/// and every <see cref="Same"/> sends one command to both and requires the same reply bytes.
/// </summary>
public abstract class DifferentialTest : IClassFixture<DifferentialFixture>, IDisposable
{
    private readonly RawClient? _redis;
    private readonly RawClient? _ours;

    protected DifferentialTest(DifferentialFixture fixture)
    {
        if (!fixture.Redis.Available) return;
        _redis = new RawClient(fixture.Redis.Port);
        _ours = new RawClient(fixture.Ours.Port);
        Setup("FLUSHALL");
    }

    protected void RequireRedis() => Skip.IfNot(_redis != null, RedisServerProcess.SkipMessage);

    /// <summary>Sends the command to both servers and asserts byte-identical replies.</summary>
    protected string Same(params string[] command)
    {
        RequireRedis();
        var expected = _redis!.Call(command);
        var actual = _ours!.Call(command);
        string e = Show(expected), a = Show(actual);
        Assert.True(e == a, $"{string.Join(' ', command)}\n  redis:    {e}\n  tieredkv: {a}");
        return e;
    }

    /// <summary>As <see cref="Same"/> for replies whose element order Redis leaves to its hash tables (KEYS, SMEMBERS): compares them as sorted lists.</summary>
    protected void SameUnordered(params string[] command)
    {
        RequireRedis();
        var expected = Elements(_redis!.Call(command));
        var actual = Elements(_ours!.Call(command));
        Assert.True(expected.SequenceEqual(actual), $"{string.Join(' ', command)}\n  redis:    {string.Join(",", expected)}\n  tieredkv: {string.Join(",", actual)}");
    }

    private static List<string> Elements(byte[] reply)
    {
        var parts = Show(reply).Split("\\r\\n").ToList();
        var header = parts[0];
        var items = parts.Skip(1).Where((_, i) => i % 2 == 1).Order(StringComparer.Ordinal).ToList();
        items.Insert(0, header);
        return items;
    }

    /// <summary>Runs a command on both servers without comparing (state that differs by design, e.g. times).</summary>
    protected void Setup(params string[] command)
    {
        _redis!.Call(command);
        _ours!.Call(command);
    }

    /// <summary>Sends raw bytes to both and compares the next reply (protocol-level tests).</summary>
    protected string SameRaw(byte[] request)
    {
        RequireRedis();
        _redis!.SendRaw(request);
        _ours!.SendRaw(request);
        string e = Show(_redis.ReadReply()), a = Show(_ours.ReadReply());
        Assert.True(e == a, $"raw request\n  redis:    {e}\n  tieredkv: {a}");
        return e;
    }

    protected (RawClient Redis, RawClient Ours) Clients => (_redis!, _ours!);

    private static string Show(byte[] reply) => System.Text.Encoding.UTF8.GetString(reply).Replace("\r\n", "\\r\\n");

    public void Dispose()
    {
        _redis?.Dispose();
        _ours?.Dispose();
        GC.SuppressFinalize(this);
    }
}

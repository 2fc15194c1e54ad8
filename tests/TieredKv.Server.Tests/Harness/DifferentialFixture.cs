namespace TieredKv.Server.Tests.Harness;

/// <summary>One real Redis and one TieredKv server for a whole test class.</summary>
public sealed class DifferentialFixture : IDisposable
{
    private readonly RedisServer? _redis = RedisServer.StartIfInstalled();

    /// <summary>False when redis-server is not installed: the tests then skip.</summary>
    public bool RedisAvailable => _redis != null;

    public RedisServer Redis => _redis ?? throw new InvalidOperationException(RedisServer.SkipMessage);

    /// <summary>
    /// Ours runs with a tiny memtable, level and hot-tier budget so that what a test writes is flushed to
    /// SSTables and compacted while it runs: collections are answered cold, from tables, not from memory.
    /// </summary>
    public TieredKvServer Ours { get; } = new(o =>
    {
        o.MaxMemory = 64L << 10;
        o.WriteBufferSize = 64L << 10;
        o.LevelBaseSize = 256L << 10;
        o.TargetFileSize = 64L << 10;
    });

    public void Dispose()
    {
        _redis?.Dispose();
        Ours.Dispose();
    }
}

/// <summary>
/// Base of the differential tests: each test opens a connection to both servers, flushes both,
/// and every <see cref="Same(string[])"/> sends one command to both and requires the same reply bytes.
/// </summary>
public abstract class DifferentialTest : IClassFixture<DifferentialFixture>, IDisposable
{
    private readonly RawClient? _redis;
    private readonly RawClient? _ours;
    private readonly long _oursFlushesAtStart;
    private readonly int _oursPort;
    private readonly int _redisPort;

    protected DifferentialTest(DifferentialFixture fixture)
    {
        if (!fixture.RedisAvailable) return;
        _redis = new RawClient(fixture.Redis.Port);
        _ours = new RawClient(fixture.Ours.Port);
        _oursPort = fixture.Ours.Port;
        _redisPort = fixture.Redis.Port;
        Setup("FLUSHALL");
        _oursFlushesAtStart = OursInfoField("lsm_flushes");
    }

    /// <summary>
    /// Waits until ours has flushed a memtable since the test began and has none left to flush, so that what the
    /// test wrote so far is read back from SSTables; fails if that does not happen within a few seconds.
    /// </summary>
    protected void AwaitOursFlushed()
    {
        RequireRedis();
        // A full memtable is frozen by the next write: make one that leaves nothing behind, on another
        // connection and in the last database, so the state the test compares is untouched.
        using (var side = new RawClient(_oursPort))
        {
            side.Call("SELECT", "15");
            side.Call("SET", "differential:flush-trigger", "1");
            side.Call("DEL", "differential:flush-trigger");
        }
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (OursInfoField("lsm_flushes") <= _oursFlushesAtStart || OursInfoField("lsm_immutable_memtables") > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "ours flushed no memtable: the test's data never reached an SSTable");
            Thread.Sleep(20);
        }
    }

    private long OursInfoField(string name)
    {
        string info = System.Text.Encoding.UTF8.GetString(_ours!.Call("INFO", "tieredkv"));
        var line = info.Split("\r\n").Single(l => l.StartsWith(name + ":", StringComparison.Ordinal));
        return long.Parse(line.AsSpan(name.Length + 1), System.Globalization.CultureInfo.InvariantCulture);
    }

    protected void RequireRedis() => Skip.IfNot(_redis != null, RedisServer.SkipMessage);

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

    /// <summary>As <see cref="Same(string[])"/> for a command with binary arguments (payloads).</summary>
    protected string Same(IReadOnlyList<byte[]> command)
    {
        RequireRedis();
        string e = Show(_redis!.Call(command)), a = Show(_ours!.Call(command));
        Assert.True(e == a, $"{System.Text.Encoding.Latin1.GetString(command[0])} …\n  redis:    {e}\n  tieredkv: {a}");
        return e;
    }

    /// <summary>As <see cref="Same(string[])"/> for replies whose element order Redis leaves to its hash tables (KEYS, SMEMBERS): compares them as sorted lists.</summary>
    protected void SameUnordered(params string[] command)
    {
        RequireRedis();
        var expected = Elements(_redis!.Call(command));
        var actual = Elements(_ours!.Call(command));
        Assert.True(expected.SequenceEqual(actual), $"{string.Join(' ', command)}\n  redis:    {string.Join(",", expected)}\n  tieredkv: {string.Join(",", actual)}");
    }

    /// <summary>Runs <see cref="Same(string[])"/> for each command line, its arguments separated by single spaces.</summary>
    protected void SameEach(params string[] lines)
    {
        foreach (var line in lines) Same(line.Split(' '));
    }

    /// <summary>For random replies (SRANDMEMBER, SPOP …): requires only the same first line (type and length, or the same error).</summary>
    protected void SameHeader(params string[] command)
    {
        RequireRedis();
        string e = Show(_redis!.Call(command)).Split("\\r\\n")[0], a = Show(_ours!.Call(command)).Split("\\r\\n")[0];
        Assert.True(e == a, $"{string.Join(' ', command)}\n  redis:    {e}\n  tieredkv: {a}");
    }

    /// <summary>
    /// Walks HSCAN/SSCAN/ZSCAN (<paramref name="command"/> and key, then options) to the end on both servers and
    /// compares what they returned as sorted sets of elements (pairs for HSCAN and ZSCAN): cursors and page
    /// boundaries are each server's own.
    /// </summary>
    protected void SameScan(bool pairs, string command, string key, params string[] options)
    {
        RequireRedis();
        var expected = ScanAll(_redis!, pairs, command, key, options);
        var actual = ScanAll(_ours!, pairs, command, key, options);
        Assert.True(expected.SequenceEqual(actual), $"{command} {key} {string.Join(' ', options)}\n  redis:    {string.Join(",", expected.Take(20))} ({expected.Count})\n  tieredkv: {string.Join(",", actual.Take(20))} ({actual.Count})");
    }

    private static List<string> ScanAll(RawClient client, bool pairs, string command, string key, string[] options)
    {
        var seen = new List<string>();
        string cursor = "0";
        do
        {
            var parts = Show(client.Call([command, key, cursor, .. options])).Split("\\r\\n");
            Assert.True(parts[0] == "*2", $"{command} replied {string.Join("|", parts.Take(4))}");
            cursor = parts[2];
            // Elements follow the inner array header as "$len", value.
            var values = parts.Skip(4).Where((_, i) => i % 2 == 1).ToList();
            if (!pairs) seen.AddRange(values);
            else for (int i = 0; i + 1 < values.Count; i += 2) seen.Add(values[i] + "=" + values[i + 1]);
        } while (cursor != "0");
        return [.. seen.Order(StringComparer.Ordinal)];
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

    /// <summary>A reply as text, its CRLFs shown, for assertion messages.</summary>
    protected static string Show(byte[] reply) => System.Text.Encoding.UTF8.GetString(reply).Replace("\r\n", "\\r\\n");

    /// <summary>A second connection to each server (a publisher, a client that writes while another watches).</summary>
    protected ConnectionPair NewConnections()
    {
        RequireRedis();
        return new ConnectionPair(new RawClient(_redisPort), new RawClient(_oursPort));
    }

    /// <summary>Sends one command on both connections of <paramref name="pair"/> and compares the replies.</summary>
    protected static void SameOn((RawClient Redis, RawClient Ours) pair, params string[] command)
    {
        string e = Show(pair.Redis.Call(command)), a = Show(pair.Ours.Call(command));
        Assert.True(e == a, $"{string.Join(' ', command)}\n  redis:    {e}\n  tieredkv: {a}");
    }

    /// <summary>Reads the next pushed message on the main connections and compares it.</summary>
    protected void SameMessage()
    {
        var (redis, ours) = Clients;
        string e = Show(redis.ReadReply()), a = Show(ours.ReadReply());
        Assert.True(e == a, $"pushed message\n  redis:    {e}\n  tieredkv: {a}");
    }

    public void Dispose()
    {
        _redis?.Dispose();
        _ours?.Dispose();
        GC.SuppressFinalize(this);
    }
}

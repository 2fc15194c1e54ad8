using StackExchange.Redis;
using TieredKv.Server.Tests.Harness;

namespace TieredKv.Server.Tests.Integration;

/// <summary>StackExchange.Redis, a real client library, against the in-process server: connect handshake, strings, pub/sub, conditional transactions.</summary>
public sealed class StackExchangeRedisTests : IClassFixture<StackExchangeRedisTests.ServerFixture>
{
    private readonly ServerFixture _fixture;

    public StackExchangeRedisTests(ServerFixture fixture) => _fixture = fixture;

    /// <summary>One server and one multiplexer for the class.</summary>
    public sealed class ServerFixture : IDisposable
    {
        public TieredKvServer Server { get; } = new();
        public ConnectionMultiplexer Redis { get; }

        public ServerFixture()
        {
            var log = new StringWriter();
            Redis = ConnectionMultiplexer.Connect($"127.0.0.1:{Server.Port},abortConnect=false,connectTimeout=5000", log);
            if (!Redis.IsConnected) throw new InvalidOperationException("not connected:\n" + log);
        }

        public void Dispose()
        {
            Redis.Dispose();
            Server.Dispose();
        }
    }

    [Fact]
    public async Task Strings_SetGetIncrement()
    {
        var db = _fixture.Redis.GetDatabase();
        Assert.True(await db.StringSetAsync("se:s", "hello"));
        Assert.Equal("hello", (string?)await db.StringGetAsync("se:s"));
        Assert.Equal(5, await db.StringIncrementAsync("se:n", 5));
        Assert.Equal(4, await db.StringDecrementAsync("se:n"));
        Assert.Equal(5.5, await db.StringIncrementAsync("se:n", 1.5));
        Assert.False((await db.StringGetAsync("se:missing")).HasValue);
        Assert.True(await db.KeyDeleteAsync("se:s"));
        Assert.True(await db.StringSetAsync("se:ttl", "x", TimeSpan.FromSeconds(100)));
        Assert.InRange((await db.KeyTimeToLiveAsync("se:ttl"))!.Value.TotalSeconds, 90, 100);
    }

    [Fact]
    public async Task PubSub_SubscribePublishRoundtrip()
    {
        var sub = _fixture.Redis.GetSubscriber();
        var received = new TaskCompletionSource<(string Channel, string Message)>(TaskCreationOptions.RunContinuationsAsynchronously);
        await sub.SubscribeAsync(RedisChannel.Literal("se:news"), (ch, msg) => received.TrySetResult((ch.ToString(), msg.ToString())));
        var patternReceived = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await sub.SubscribeAsync(RedisChannel.Pattern("se:n*"), (_, msg) => patternReceived.TrySetResult(msg.ToString()));
        long receivers = await _fixture.Redis.GetDatabase().PublishAsync(RedisChannel.Literal("se:news"), "hello");
        Assert.Equal(2, receivers);
        Assert.Equal(("se:news", "hello"), await received.Task.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal("hello", await patternReceived.Task.WaitAsync(TimeSpan.FromSeconds(5)));
        await sub.UnsubscribeAllAsync();
    }

    [Fact]
    public async Task Transaction_WithCondition()
    {
        var db = _fixture.Redis.GetDatabase();
        await db.StringSetAsync("se:t", "1");

        var ok = db.CreateTransaction();
        ok.AddCondition(Condition.StringEqual("se:t", "1"));
        var incr = ok.StringIncrementAsync("se:t");
        _ = ok.StringSetAsync("se:t2", "set");
        Assert.True(await ok.ExecuteAsync());
        Assert.Equal(2, await incr);
        Assert.Equal("set", (string?)await db.StringGetAsync("se:t2"));

        var refused = db.CreateTransaction();
        refused.AddCondition(Condition.StringEqual("se:t", "1"));
        _ = refused.StringSetAsync("se:t", "never");
        Assert.False(await refused.ExecuteAsync());
        Assert.Equal("2", (string?)await db.StringGetAsync("se:t"));

        var absent = db.CreateTransaction();
        absent.AddCondition(Condition.KeyNotExists("se:fresh"));
        _ = absent.StringSetAsync("se:fresh", "v");
        Assert.True(await absent.ExecuteAsync());
    }
}

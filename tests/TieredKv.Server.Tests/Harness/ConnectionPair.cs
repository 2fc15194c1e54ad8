namespace TieredKv.Server.Tests.Harness;

/// <summary>One more connection to each of the two servers a differential test compares; disposing closes both.</summary>
public sealed class ConnectionPair(RawClient redis, RawClient ours) : IDisposable
{
    public RawClient Redis { get; } = redis;
    public RawClient Ours { get; } = ours;

    public static implicit operator (RawClient Redis, RawClient Ours)(ConnectionPair pair) => (pair.Redis, pair.Ours);

    public void Dispose()
    {
        Redis.Dispose();
        Ours.Dispose();
    }
}

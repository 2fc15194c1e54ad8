namespace TieredKv.Client;

/// <summary>How <see cref="RespConnection.Connect"/> connects: timeouts and the optional AUTH credentials.</summary>
public sealed record RespConnectionOptions
{
    /// <summary>How long establishing the TCP connection may take.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long one socket read or write may block; a reply that takes longer fails with an <see cref="IOException"/>.</summary>
    public TimeSpan IoTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>When set, <c>AUTH [user] password</c> is sent right after connecting; its error fails the connection.</summary>
    public string? Password { get; init; }

    /// <summary>The ACL user for AUTH; null authenticates as the default user.</summary>
    public string? User { get; init; }

    /// <summary>Size of the send and receive buffers.</summary>
    public int BufferSize { get; init; } = 64 * 1024;
}

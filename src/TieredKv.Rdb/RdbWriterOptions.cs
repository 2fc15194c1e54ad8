namespace TieredKv.Rdb;

/// <summary>What <see cref="RdbWriter"/> puts in the file before the keys: AUX fields and function libraries.</summary>
public sealed record RdbWriterOptions
{
    /// <summary>The "redis-ver" field: the Redis version whose format we write.</summary>
    public string RedisVersion { get; init; } = "7.0.0";
    /// <summary>The "ctime" field; the current time when null.</summary>
    public DateTimeOffset? CreatedAt { get; init; }
    /// <summary>The "used-mem" field (informational for Redis).</summary>
    public long UsedMemory { get; init; }

    /// <summary>The code of each function library (as FUNCTION LOAD takes it), written as FUNCTION2 records.</summary>
    public IReadOnlyList<byte[]> FunctionLibraries { get; init; } = [];
}

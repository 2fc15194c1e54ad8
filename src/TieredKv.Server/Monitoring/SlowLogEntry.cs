namespace TieredKv.Server.Monitoring;

/// <summary>One SLOWLOG GET entry: id, start time (Unix seconds), duration (µs), the arguments as logged, the client's address and name.</summary>
internal sealed record SlowLogEntry(long Id, long UnixSeconds, long Micros, byte[][] Args, string ClientAddress, string ClientName);

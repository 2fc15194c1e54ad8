namespace TieredKv.Server.Config;

/// <summary>
/// One class's client-output-buffer-limit, as Redis's: a client whose pending output exceeds
/// <see cref="HardBytes"/>, or stays above <see cref="SoftBytes"/> for <see cref="SoftSeconds"/>,
/// is disconnected. Zero turns a limit off.
/// </summary>
internal readonly record struct OutputBufferLimit(long HardBytes, long SoftBytes, long SoftSeconds)
{
    /// <summary>Whether <paramref name="pendingBytes"/> breaks the limit, given when the output first went above the soft limit (null: it is not).</summary>
    public bool IsExceeded(long pendingBytes, long? aboveSoftSinceMillis, long nowMillis) =>
        HardBytes > 0 && pendingBytes > HardBytes ||
        SoftBytes > 0 && pendingBytes > SoftBytes && aboveSoftSinceMillis is { } since && nowMillis - since > SoftSeconds * 1000;
}

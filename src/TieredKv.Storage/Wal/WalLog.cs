using Microsoft.Extensions.Logging;

namespace TieredKv.Storage.Wal;

/// <summary>Log messages of WAL recovery.</summary>
internal static partial class WalLog
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Warning,
        Message = "WAL {File}: torn tail at offset {Offset} ({Reason}); dropped {Bytes} bytes and truncated the file to {Offset}")]
    public static partial void TornTailTruncated(ILogger logger, string file, long offset, long bytes, string reason);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Error,
        Message = "WAL {File}: salvage skipped damaged bytes [{Offset}, {End}) ({Bytes} bytes): {Reason}")]
    public static partial void RangeSkipped(ILogger logger, string file, long offset, long end, long bytes, string reason);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Error,
        Message = "WAL {File}: salvage skipped {Count} damaged range(s), {Bytes} bytes in all: {Ranges}")]
    public static partial void SalvageSummary(ILogger logger, string file, int count, long bytes, string ranges);
}

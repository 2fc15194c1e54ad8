namespace TieredKv.Storage.Log;

/// <summary>What <see cref="LogReader.ReadNext"/> found at the current position.</summary>
internal enum LogReadStatus
{
    /// <summary>A complete record with a valid checksum; see <see cref="LogReader.Payload"/>.</summary>
    Record,

    /// <summary>The file ends exactly after the previous record.</summary>
    EndOfFile,

    /// <summary>Damage with no valid record anywhere after it: the unfinished end of a crashed write. Nothing follows.</summary>
    TornTail,

    /// <summary>Damage followed by a valid record; the reader resumes at that record on the next call.</summary>
    Damage,
}

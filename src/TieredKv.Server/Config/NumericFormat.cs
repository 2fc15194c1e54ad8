namespace TieredKv.Server.Config;

/// <summary>How a numeric parameter's text is read and shown (Redis's INTEGER, MEMORY, MEMORY|PERCENT and OCTAL configs).</summary>
internal enum NumericFormat
{
    /// <summary>A plain integer.</summary>
    Integer,
    /// <summary>A size with optional units (1gb, 64mb, 100k).</summary>
    Memory,
    /// <summary>A size, or a percentage written n% and stored as -n.</summary>
    MemoryOrPercent,
    /// <summary>An octal number (unixsocketperm).</summary>
    Octal,
}

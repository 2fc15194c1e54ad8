namespace TieredKv.Rdb.Format;

/// <summary>Constants of RDB's length and string encodings (rdb.h).</summary>
public static class RdbEncoding
{
    /// <summary>The two top bits of a length's first byte.</summary>
    public const int Len6Bit = 0, Len14Bit = 1, Len32Or64Bit = 2, Special = 3;
    public const byte Len32 = 0x80, Len64 = 0x81;

    /// <summary>Low six bits after <see cref="Special"/>: how a string is encoded.</summary>
    public const int Int8 = 0, Int16 = 1, Int32 = 2, Lzf = 3;

    /// <summary>Quicklist 2 node containers.</summary>
    public const int QuicklistPlain = 1, QuicklistPacked = 2;

    /// <summary>Module value sub-opcodes.</summary>
    public const int ModuleEof = 0, ModuleSInt = 1, ModuleUInt = 2, ModuleFloat = 3, ModuleDouble = 4, ModuleString = 5;

    /// <summary>The newest RDB version this reader understands (Redis 7.2).</summary>
    public const int MaxReadVersion = 11;

    /// <summary>The version we write: Redis 7.0's, so 7.0 and newer load our files and payloads.</summary>
    public const int WriteVersion = 10;
}

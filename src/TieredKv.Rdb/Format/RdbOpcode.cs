namespace TieredKv.Rdb.Format;

/// <summary>RDB opcodes that precede keys or carry file-level data (rdb.h); any other byte in their place is a value type.</summary>
public static class RdbOpcode
{
    public const byte Function2 = 245;
    /// <summary>Function libraries as 7.0 release candidates wrote them.</summary>
    public const byte FunctionPreGa = 246;
    public const byte ModuleAux = 247;
    public const byte Idle = 248;
    public const byte Freq = 249;
    public const byte Aux = 250;
    public const byte ResizeDb = 251;
    public const byte ExpireTimeMs = 252;
    public const byte ExpireTime = 253;
    public const byte SelectDb = 254;
    public const byte Eof = 255;
}

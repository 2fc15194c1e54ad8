namespace TieredKv.Rdb.Format;

/// <summary>RDB value type bytes (rdb.h). The numbers are Redis's on-disk format.</summary>
public static class RdbValueType
{
    public const byte String = 0;
    public const byte List = 1;
    public const byte Set = 2;
    public const byte SortedSet = 3;
    public const byte Hash = 4;
    public const byte SortedSet2 = 5;
    public const byte ModulePreGa = 6;
    public const byte Module2 = 7;
    public const byte HashZipmap = 9;
    public const byte ListZiplist = 10;
    public const byte SetIntset = 11;
    public const byte SortedSetZiplist = 12;
    public const byte HashZiplist = 13;
    public const byte ListQuicklist = 14;
    public const byte StreamListpacks = 15;
    public const byte HashListpack = 16;
    public const byte SortedSetListpack = 17;
    public const byte ListQuicklist2 = 18;
    public const byte StreamListpacks2 = 19;
    public const byte SetListpack = 20;
    public const byte StreamListpacks3 = 21;

    /// <summary>True for every type byte a Redis of RDB version 11 or older may write.</summary>
    public static bool IsKnown(byte type) => type <= 7 || (type >= 9 && type <= 21);

    public static bool IsStream(byte type) => type is StreamListpacks or StreamListpacks2 or StreamListpacks3;

    public static bool IsModule(byte type) => type is ModulePreGa or Module2;
}

using System.Globalization;
using System.Text;
using TieredKv.Keyspace;
using TieredKv.Rdb.Format;
using TieredKv.Rdb.Streams;

namespace TieredKv.Rdb;

/// <summary>
/// Parses one value of a given RDB type (rdb.c's rdbLoadObject layouts). A value's header — its count,
/// or its whole blob for the compact encodings, which is bounded by its own length — is read when the
/// value is opened; elements of the plain encodings and quicklist nodes are read as they are enumerated.
/// </summary>
internal static class RdbValueParser
{
    /// <summary>
    /// Reads the value's header; returns null for module values after skipping them whole, and for streams too
    /// unless <paramref name="readStreams"/> (callers that cannot hold a stream ask for them to be skipped).
    /// </summary>
    public static RdbValue? Open(RdbInput input, byte type, bool readStreams)
    {
        long at = input.Offset;
        switch (type)
        {
            case RdbValueType.String:
                return new RdbValue(KeyType.String, type, 1, input.ReadString("string value"), null);
            case RdbValueType.List:
            {
                ulong n = input.ReadLength("list length");
                return Collection(KeyType.List, type, n, PlainItems(input, n, "list item"));
            }
            case RdbValueType.Set:
            {
                ulong n = input.ReadLength("set size");
                return Collection(KeyType.Set, type, n, PlainItems(input, n, "set member"));
            }
            case RdbValueType.SortedSet:
            case RdbValueType.SortedSet2:
            {
                ulong n = input.ReadLength("sorted set size");
                return Collection(KeyType.SortedSet, type, n, PlainSortedSet(input, n, binaryScores: type == RdbValueType.SortedSet2));
            }
            case RdbValueType.Hash:
            {
                ulong n = input.ReadLength("hash size");
                return Collection(KeyType.Hash, type, n, PlainHash(input, n));
            }
            case RdbValueType.HashZipmap:
            {
                var (blob, offset) = Blob(input, "zipmap");
                return new RdbValue(KeyType.Hash, type, null, null,
                    Zipmap.Pairs(blob, offset).Select(p => new RdbElement(p.Key, p.Value, 0)).GetEnumerator());
            }
            case RdbValueType.ListZiplist:
            {
                var (blob, offset) = Blob(input, "ziplist");
                var entries = Ziplist.Entries(blob, offset);
                return new RdbValue(KeyType.List, type, ZiplistCount(blob), null, entries.Select(e => new RdbElement(e, null, 0)).GetEnumerator());
            }
            case RdbValueType.SetIntset:
            {
                var (blob, offset) = Blob(input, "intset");
                var members = Intset.Members(blob, offset);
                return new RdbValue(KeyType.Set, type, BitConverter.ToUInt32(blob, 4), null, members.Select(e => new RdbElement(e, null, 0)).GetEnumerator());
            }
            case RdbValueType.SetListpack:
            {
                var (blob, offset) = Blob(input, "set listpack");
                var members = Listpack.Entries(blob, offset);
                return new RdbValue(KeyType.Set, type, ListpackCount(blob), null, members.Select(e => new RdbElement(e, null, 0)).GetEnumerator());
            }
            case RdbValueType.SortedSetZiplist:
            case RdbValueType.SortedSetListpack:
            {
                bool zip = type == RdbValueType.SortedSetZiplist;
                var (blob, offset) = Blob(input, zip ? "sorted set ziplist" : "sorted set listpack");
                var entries = zip ? Ziplist.Entries(blob, offset) : Listpack.Entries(blob, offset);
                long? count = (zip ? ZiplistCount(blob) : ListpackCount(blob)) / 2;
                return new RdbValue(KeyType.SortedSet, type, count, null, Pairs(entries, offset, sortedSet: true).GetEnumerator());
            }
            case RdbValueType.HashZiplist:
            case RdbValueType.HashListpack:
            {
                bool zip = type == RdbValueType.HashZiplist;
                var (blob, offset) = Blob(input, zip ? "hash ziplist" : "hash listpack");
                var entries = zip ? Ziplist.Entries(blob, offset) : Listpack.Entries(blob, offset);
                long? count = (zip ? ZiplistCount(blob) : ListpackCount(blob)) / 2;
                return new RdbValue(KeyType.Hash, type, count, null, Pairs(entries, offset, sortedSet: false).GetEnumerator());
            }
            case RdbValueType.ListQuicklist:
            case RdbValueType.ListQuicklist2:
            {
                ulong nodes = input.ReadLength("quicklist node count");
                if (nodes == 0) throw new RdbFormatException(at, "empty quicklist");
                return new RdbValue(KeyType.List, type, null, null, QuicklistItems(input, nodes, version2: type == RdbValueType.ListQuicklist2).GetEnumerator());
            }
            case RdbValueType.StreamListpacks:
            case RdbValueType.StreamListpacks2:
            case RdbValueType.StreamListpacks3:
            {
                var stream = new RdbStream(new StreamValueReader(input, type), type);
                if (readStreams) return new RdbValue(type, stream);
                stream.Finish();
                return null;
            }
            case RdbValueType.Module2:
                input.ReadLength("module id");
                SkipModuleValue(input);
                return null;
            case RdbValueType.ModulePreGa:
                throw new RdbFormatException(at - 1, "a module value in the pre-GA format (RDB type 6) has no walkable layout and cannot be skipped");
            default:
                throw new RdbFormatException(at - 1, $"unknown value type {type}");
        }
    }

    private static RdbValue Collection(KeyType type, byte rdbType, ulong count, IEnumerable<RdbElement> elements) =>
        new(type, rdbType, (long)Math.Min(count, long.MaxValue), null, elements.GetEnumerator());

    /// <summary>
    /// Reads a blob and where errors inside it should point: its first byte when stored raw; the start of
    /// the string record when it was LZF-compressed (inner positions do not map to the file then).
    /// </summary>
    private static (byte[] Blob, long Offset) Blob(RdbInput input, string what)
    {
        long start = input.Offset;
        byte[] blob = input.ReadString(what);
        long end = input.Offset;
        return (blob, end - start > blob.Length ? end - blob.Length : start);
    }

    private static long? ZiplistCount(byte[] blob)
    {
        if (blob.Length < 10) return null;
        int n = BitConverter.ToUInt16(blob, 8);
        return n == ushort.MaxValue ? null : n;
    }

    private static long? ListpackCount(byte[] blob)
    {
        if (blob.Length < 6) return null;
        int n = BitConverter.ToUInt16(blob, 4);
        return n == ushort.MaxValue ? null : n;
    }

    private static IEnumerable<RdbElement> PlainItems(RdbInput input, ulong count, string what)
    {
        for (ulong i = 0; i < count; i++) yield return new RdbElement(input.ReadString(what), null, 0);
    }

    private static IEnumerable<RdbElement> PlainHash(RdbInput input, ulong count)
    {
        for (ulong i = 0; i < count; i++)
        {
            byte[] field = input.ReadString("hash field");
            yield return new RdbElement(field, input.ReadString("hash value"), 0);
        }
    }

    private static IEnumerable<RdbElement> PlainSortedSet(RdbInput input, ulong count, bool binaryScores)
    {
        for (ulong i = 0; i < count; i++)
        {
            byte[] member = input.ReadString("sorted set member");
            long at = input.Offset;
            double score = binaryScores ? input.ReadBinaryDouble("sorted set score") : input.ReadStringDouble("sorted set score");
            if (double.IsNaN(score)) throw new RdbFormatException(at, "sorted set score is NaN");
            yield return new RdbElement(member, null, score);
        }
    }

    private static IEnumerable<RdbElement> Pairs(IEnumerable<byte[]> entries, long offset, bool sortedSet)
    {
        using var e = entries.GetEnumerator();
        while (e.MoveNext())
        {
            byte[] first = e.Current;
            if (!e.MoveNext()) throw new RdbFormatException(offset, "compact encoding with an odd number of entries for pairs");
            yield return sortedSet ? new RdbElement(first, null, ParseScore(e.Current, offset)) : new RdbElement(first, e.Current, 0);
        }
    }

    /// <summary>Scores inside ziplists and listpacks are text as Redis formats doubles ("inf", "-inf", "%.17g").</summary>
    internal static double ParseScore(byte[] text, long offset)
    {
        string s = Encoding.ASCII.GetString(text);
        double value = s.ToLowerInvariant() switch
        {
            "inf" or "+inf" or "infinity" or "+infinity" => double.PositiveInfinity,
            "-inf" or "-infinity" => double.NegativeInfinity,
            _ => double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) ? d : double.NaN,
        };
        if (double.IsNaN(value)) throw new RdbFormatException(offset, $"sorted set score '{s}' is not a number");
        return value;
    }

    private static IEnumerable<RdbElement> QuicklistItems(RdbInput input, ulong nodes, bool version2)
    {
        for (ulong i = 0; i < nodes; i++)
        {
            long at = input.Offset;
            ulong container = version2 ? input.ReadLength("quicklist node container") : RdbEncoding.QuicklistPacked;
            if (container is not (RdbEncoding.QuicklistPlain or RdbEncoding.QuicklistPacked))
                throw new RdbFormatException(at, $"quicklist node container {container} is neither plain (1) nor packed (2)");
            var (blob, blobOffset) = Blob(input, "quicklist node");
            if (container == RdbEncoding.QuicklistPlain)
            {
                yield return new RdbElement(blob, null, 0);
                continue;
            }
            foreach (byte[] item in version2 ? Listpack.Entries(blob, blobOffset) : Ziplist.Entries(blob, blobOffset))
                yield return new RdbElement(item, null, 0);
        }
    }

    /// <summary>Module values annotated for parsing without the module (RDB type 7, module AUX): typed fields until an EOF opcode.</summary>
    internal static void SkipModuleValue(RdbInput input)
    {
        while (true)
        {
            long at = input.Offset;
            ulong opcode = input.ReadLength("module value opcode");
            switch (opcode)
            {
                case RdbEncoding.ModuleEof: return;
                case RdbEncoding.ModuleSInt:
                case RdbEncoding.ModuleUInt: input.ReadLength("module integer"); break;
                case RdbEncoding.ModuleFloat: input.Skip(4, "module float"); break;
                case RdbEncoding.ModuleDouble: input.Skip(8, "module double"); break;
                case RdbEncoding.ModuleString: input.SkipString("module string"); break;
                default: throw new RdbFormatException(at, $"unknown module value opcode {opcode}");
            }
        }
    }
}

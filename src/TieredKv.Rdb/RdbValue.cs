using TieredKv.Keyspace;
using TieredKv.Rdb.Streams;

namespace TieredKv.Rdb;

/// <summary>
/// A value being read from an RDB file or DUMP payload. Its elements are read from the input as they are
/// enumerated, once; what is not enumerated is skipped when the reader moves on.
/// </summary>
public sealed class RdbValue
{
    private readonly byte[]? _string;
    private readonly RdbStream? _stream;
    private IEnumerator<RdbElement>? _elements;
    private bool _started;

    internal RdbValue(KeyType type, byte rdbType, long? count, byte[]? stringValue, IEnumerator<RdbElement>? elements)
    {
        Type = type;
        RdbType = rdbType;
        Count = count;
        _string = stringValue;
        _elements = elements;
    }

    /// <summary>A stream value. <see cref="Type"/> is <see cref="KeyType.None"/> until the keyspace has a stream type.</summary>
    internal RdbValue(byte rdbType, RdbStream stream)
    {
        Type = KeyType.None;
        RdbType = rdbType;
        _stream = stream;
    }

    public KeyType Type { get; }

    /// <summary>The RDB type byte, i.e. the encoding the value came in (see <see cref="Format.RdbValueType"/>).</summary>
    public byte RdbType { get; }

    /// <summary>Elements announced up front (1 for strings); null when only the enumeration tells (quicklists).</summary>
    public long? Count { get; }

    public byte[] StringValue() => _string ?? throw new InvalidOperationException($"the value is a {TypeName}, not a string");

    /// <summary>True for a stream (RDB types 15, 19, 21), read through <see cref="Stream"/>.</summary>
    public bool IsStream => _stream != null;

    /// <summary>The stream: entries as they are enumerated, then metadata and groups.</summary>
    public RdbStream Stream() => _stream ?? throw new InvalidOperationException($"the value is a {TypeName}, not a stream");

    /// <summary>The elements in stored order; may be enumerated once.</summary>
    public IEnumerable<RdbElement> Elements()
    {
        if (_elements == null) throw new InvalidOperationException($"a {TypeName} value has no elements");
        if (_started) throw new InvalidOperationException("the elements of an RDB value can be read only once");
        _started = true;
        return Enumerate(_elements);
    }

    public IEnumerable<KeyValuePair<byte[], byte[]>> HashFields() => Expect(KeyType.Hash).Elements().Select(e => new KeyValuePair<byte[], byte[]>(e.Member, e.Value!));

    public IEnumerable<byte[]> SetMembers() => Expect(KeyType.Set).Elements().Select(e => e.Member);

    public IEnumerable<byte[]> ListItems() => Expect(KeyType.List).Elements().Select(e => e.Member);

    public IEnumerable<KeyValuePair<byte[], double>> SortedSetMembers() => Expect(KeyType.SortedSet).Elements().Select(e => new KeyValuePair<byte[], double>(e.Member, e.Score));

    /// <summary>Reads whatever elements were not enumerated, so the input stands at the next record.</summary>
    internal void SkipRest()
    {
        _stream?.Finish();
        if (_elements == null) return;
        _started = true;
        while (_elements.MoveNext()) { }
        _elements.Dispose();
        _elements = null;
    }

    private string TypeName => IsStream ? "stream" : KeyTypeNames.Name(Type);

    private RdbValue Expect(KeyType type) =>
        Type == type && !IsStream ? this : throw new InvalidOperationException($"the value is a {TypeName}, not a {KeyTypeNames.Name(type)}");

    private static IEnumerable<RdbElement> Enumerate(IEnumerator<RdbElement> elements)
    {
        while (elements.MoveNext()) yield return elements.Current;
    }
}

using System.Text;
using TieredKv.Storage.Format;
using TieredKv.Storage.IO;
using TieredKv.Storage.Table;

namespace TieredKv.Storage.Tests.Table;

/// <summary>An in-memory writable file.</summary>
internal sealed class MemoryWritableFile(string path = "mem.sst") : IWritableFile
{
    private readonly MemoryStream _stream = new();
    public string Path { get; } = path;
    public long Length => _stream.Length;
    public void Append(ReadOnlySpan<byte> data) => _stream.Write(data);
    public void Flush() { }
    public void Sync() { }
    public void Dispose() { }
    public byte[] ToArray() => _stream.ToArray();
}

/// <summary>An in-memory random-access file.</summary>
internal sealed class MemoryRandomAccessFile(byte[] data, string path = "mem.sst") : IRandomAccessFile
{
    public string Path { get; } = path;
    public long Length => data.Length;
    public bool Disposed { get; private set; }

    public int Read(long offset, Span<byte> destination)
    {
        if (offset >= data.Length) return 0;
        int n = (int)Math.Min(destination.Length, data.Length - offset);
        data.AsSpan((int)offset, n).CopyTo(destination);
        return n;
    }

    public void Dispose() => Disposed = true;
}

internal sealed record TestEntry(byte[] Key, byte[] Value);

internal static class TableTestHelpers
{
    public static byte[] UserKey(int i) => Encoding.ASCII.GetBytes($"key{i:D8}");

    public static byte[] ValueFor(int i, ulong seq) => Encoding.ASCII.GetBytes($"value-{i}-{seq}-" + new string((char)('a' + i % 26), i % 40));

    /// <summary><paramref name="count"/> sorted entries: every user key at sequence 100+i, every 10th key also older versions, every 7th a deletion.</summary>
    public static List<TestEntry> MakeEntries(int count)
    {
        var list = new List<TestEntry>();
        for (int i = 0; i < count; i++)
        {
            var uk = UserKey(i);
            ulong seq = (ulong)(100 + i);
            var type = i % 7 == 3 ? EntryType.Deletion : EntryType.Value;
            list.Add(new TestEntry(InternalKey.Create(uk, seq, type), type == EntryType.Deletion ? [] : ValueFor(i, seq)));
            if (i % 10 == 0)
            {
                list.Add(new TestEntry(InternalKey.Create(uk, seq - 50, EntryType.Value), ValueFor(i, seq - 50)));
                list.Add(new TestEntry(InternalKey.Create(uk, seq - 80, EntryType.Value), ValueFor(i, seq - 80)));
            }
        }
        list.Sort((a, b) => InternalKey.Compare(a.Key, b.Key));
        return list;
    }

    public static byte[] BuildTable(IReadOnlyList<TestEntry> entries, TableBuilderOptions options)
    {
        var file = new MemoryWritableFile();
        var builder = new TableBuilder(file, options);
        foreach (var e in entries) builder.Add(e.Key, e.Value);
        builder.Finish();
        return file.ToArray();
    }

    public static TableReader Open(byte[] bytes, BlockCache? cache = null, TableReadCounters? counters = null) =>
        TableReader.Open(new MemoryRandomAccessFile(bytes), 1, cache, counters);

    public static void WriteTableFile(string directory, ulong number, IReadOnlyList<TestEntry> entries, TableBuilderOptions options) =>
        File.WriteAllBytes(Path.Combine(directory, FileNames.Table(number)), BuildTable(entries, options));
}

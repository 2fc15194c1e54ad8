using System.Text;
using TieredKv.Storage;

namespace TieredKv.Tools.Tests;

/// <summary>
/// A closed data directory written by the storage engine: flushed tables (their blocks
/// LZ4-compressed), a manifest and a WAL holding the writes made after the last flush.
/// </summary>
public sealed class DataDirectory : IDisposable
{
    public const int FlushedKeys = 3000;
    public const int UnflushedKeys = 40;

    public DataDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "kvtool-" + Guid.NewGuid().ToString("N"));
        using var db = Db.Open(Path, new DbOptions { WalSync = WalSyncPolicy.No });
        for (int i = 0; i < FlushedKeys; i++) db.Put(Encoding.ASCII.GetBytes($"key:{i:D6}"), Encoding.ASCII.GetBytes(new string((char)('a' + i % 26), 100)));
        db.Flush();
        for (int i = 0; i < UnflushedKeys; i++) db.Put(Encoding.ASCII.GetBytes($"late:{i:D3}"), "v"u8);
    }

    public string Path { get; }

    public string[] Files(string pattern) => Directory.GetFiles(Path, pattern).Order().ToArray();

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { }
    }
}

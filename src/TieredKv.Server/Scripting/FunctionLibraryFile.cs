using System.Buffers.Binary;
using TieredKv.Storage.IO;

namespace TieredKv.Server.Scripting;

/// <summary>
/// The loaded libraries' code, kept in the data directory as <c>functions.tkv</c> (format-spec/functions.md) so that
/// functions survive a restart, as Redis keeps them in its RDB and AOF. Rewritten whole on every change: written to a
/// temporary file, fsynced, renamed over the old one, then the directory fsynced.
/// </summary>
internal sealed class FunctionLibraryFile(string directory)
{
    public const string FileName = "functions.tkv";
    private static readonly byte[] Magic = "TKVFUNC1"u8.ToArray();

    private string FilePath => Path.Combine(directory, FileName);

    /// <summary>Each library's code, in the order saved; none when the file does not exist.</summary>
    public List<byte[]> Read() => File.Exists(FilePath)
        ? Decode(File.ReadAllBytes(FilePath)) ?? throw new InvalidDataException($"{FilePath}: not a whole functions file")
        : [];

    public void Write(IEnumerable<byte[]> libraries)
    {
        string temp = FilePath + ".tmp";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            stream.Write(Encode(libraries));
            stream.Flush(flushToDisk: true);
        }
        File.Move(temp, FilePath, overwrite: true);
        new LocalFileSystem().SyncDirectory(directory);
    }

    /// <summary>The file's bytes for these libraries' code.</summary>
    private static byte[] Encode(IEnumerable<byte[]> libraries)
    {
        var codes = libraries.ToList();
        var bytes = new byte[12 + codes.Sum(c => 4 + c.Length)];
        Magic.CopyTo(bytes, 0);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(8), (uint)codes.Count);
        int offset = 12;
        foreach (var code in codes)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(offset), (uint)code.Length);
            code.CopyTo(bytes, offset + 4);
            offset += 4 + code.Length;
        }
        return bytes;
    }

    /// <summary>Each library's code, or null when the bytes are not one whole encoding.</summary>
    private static List<byte[]>? Decode(byte[] bytes)
    {
        if (bytes.Length < 12 || !bytes.AsSpan(0, 8).SequenceEqual(Magic)) return null;
        uint count = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8));
        var result = new List<byte[]>();
        long offset = 12;
        for (uint i = 0; i < count; i++)
        {
            if (offset + 4 > bytes.Length) return null;
            long length = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan((int)offset));
            offset += 4;
            if (offset + length > bytes.Length) return null;
            result.Add(bytes.AsSpan((int)offset, (int)length).ToArray());
            offset += length;
        }
        return offset == bytes.Length ? result : null;
    }
}

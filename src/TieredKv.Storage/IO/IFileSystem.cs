namespace TieredKv.Storage.IO;

/// <summary>
/// The thin file-system layer every engine file goes through, so that tests can inject faults
/// (short writes, failing fsync, full disk, read errors) without touching the engine.
/// </summary>
public interface IFileSystem
{
    /// <summary>Creates (or truncates) a file for appending.</summary>
    IWritableFile CreateWritable(string path);

    /// <summary>Opens a file for positional reads.</summary>
    IRandomAccessFile OpenRandomAccess(string path);

    /// <summary>
    /// Opens a file that will never change again (a table) for positional reads. The real file
    /// system maps it into memory, so a read is a memory copy instead of a system call.
    /// </summary>
    IRandomAccessFile OpenImmutable(string path) => OpenRandomAccess(path);

    bool FileExists(string path);
    long GetFileLength(string path);
    void DeleteFile(string path);

    /// <summary>Atomically replaces <paramref name="to"/> with <paramref name="from"/>.</summary>
    void RenameFile(string from, string to);

    /// <summary>Cuts a file to <paramref name="length"/> bytes and makes that durable.</summary>
    void TruncateFile(string path, long length);

    /// <summary>File names (not paths) directly inside <paramref name="directory"/>.</summary>
    IReadOnlyList<string> ListFiles(string directory);

    void CreateDirectory(string path);

    /// <summary>Makes creations, renames and deletions in a directory durable (fsync of the directory).</summary>
    void SyncDirectory(string path);

    /// <summary>Takes an exclusive lock on <paramref name="path"/> that keeps other processes from opening the same database.</summary>
    IDisposable LockFile(string path);
}

/// <summary>A file being written from start to end.</summary>
public interface IWritableFile : IDisposable
{
    string Path { get; }

    /// <summary>Bytes appended so far (buffered or not).</summary>
    long Length { get; }

    void Append(ReadOnlySpan<byte> data);

    /// <summary>Hands buffered bytes to the operating system.</summary>
    void Flush();

    /// <summary>Flushes and makes the contents durable (fsync). Safe to call from another thread than <see cref="Append"/>.</summary>
    void Sync();
}

/// <summary>An immutable file read at arbitrary offsets, safe for concurrent readers.</summary>
public interface IRandomAccessFile : IDisposable
{
    string Path { get; }
    long Length { get; }

    /// <summary>Reads up to <c>destination.Length</c> bytes at <paramref name="offset"/>; returns the count read (short only at end of file).</summary>
    int Read(long offset, Span<byte> destination);
}

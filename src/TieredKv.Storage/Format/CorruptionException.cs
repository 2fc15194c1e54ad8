namespace TieredKv.Storage.Format;

/// <summary>Data on disk failed a checksum or a structural check. Names the file and the byte offset.</summary>
public sealed class CorruptionException : IOException
{
    public CorruptionException(string fileName, long offset, string reason)
        : base($"corrupt data in {System.IO.Path.GetFileName(fileName)} at offset {offset}: {reason}")
    {
        FileName = fileName;
        Offset = offset;
        Reason = reason;
    }

    public string FileName { get; }
    public long Offset { get; }
    public string Reason { get; }
}

namespace TieredKv.Storage.Inspection;

/// <summary>Damage found in a file: the file, the byte offset of the record, block or footer concerned, and what is wrong.</summary>
public sealed record Corruption(string File, long Offset, string Message)
{
    public override string ToString() => $"{System.IO.Path.GetFileName(File)} at offset {Offset}: {Message}";
}

using TieredKv.Storage.Util;

namespace TieredKv.Storage.Table;

/// <summary>The location of a block in a table file: its offset and its stored size (without the 5-byte trailer).</summary>
public readonly record struct BlockHandle(ulong Offset, ulong Size)
{
    /// <summary>Longest encoding: two varint64s.</summary>
    public const int MaxEncodedLength = 2 * Coding.MaxVarint64Length;

    public void EncodeTo(ByteBuffer destination)
    {
        destination.AppendVarint64(Offset);
        destination.AppendVarint64(Size);
    }

    /// <summary>Decodes a handle from the start of <paramref name="source"/>; returns the bytes consumed, or 0 when malformed.</summary>
    public static int TryDecode(ReadOnlySpan<byte> source, out BlockHandle handle)
    {
        handle = default;
        int a = Coding.ReadVarint64(source, out ulong offset);
        if (a == 0) return 0;
        int b = Coding.ReadVarint64(source[a..], out ulong size);
        if (b == 0) return 0;
        handle = new BlockHandle(offset, size);
        return a + b;
    }
}

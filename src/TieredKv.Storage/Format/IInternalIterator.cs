namespace TieredKv.Storage.Format;

/// <summary>
/// A cursor over entries ordered by internal key (<see cref="InternalKey.Compare"/>).
/// <see cref="Key"/> and <see cref="Value"/> stay valid only until the next move.
/// Corrupt data surfaces as <see cref="CorruptionException"/> from the move that met it.
/// </summary>
public interface IInternalIterator : IDisposable
{
    bool Valid { get; }

    void SeekToFirst();
    void SeekToLast();

    /// <summary>Positions at the first entry whose internal key is ≥ <paramref name="target"/>.</summary>
    void Seek(ReadOnlySpan<byte> target);

    void Next();
    void Prev();

    ReadOnlySpan<byte> Key { get; }
    ReadOnlySpan<byte> Value { get; }
}

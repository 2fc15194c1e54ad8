using System.Buffers.Binary;
using TieredKv.Storage;

namespace TieredKv.Keyspace;

/// <summary>
/// Hands out collection versions that are never reused, even across restarts: it durably reserves
/// a block of versions (the <c>V</c> record) before handing out any of it, and a restart starts
/// after the last reserved block.
/// </summary>
internal sealed class VersionAllocator
{
    private const ulong BlockSize = 1 << 16;
    private readonly Db _db;
    private readonly Lock _lock = new();
    private ulong _next;
    private ulong _ceiling;

    public VersionAllocator(Db db)
    {
        _db = db;
        var stored = db.Get(KeyCodec.VersionCeiling);
        _next = stored == null ? 1 : BinaryPrimitives.ReadUInt64LittleEndian(stored);
        _ceiling = _next;
    }

    public ulong Next()
    {
        lock (_lock)
        {
            if (_next >= _ceiling)
            {
                ulong ceiling = _next + BlockSize;
                var value = new byte[8];
                BinaryPrimitives.WriteUInt64LittleEndian(value, ceiling);
                _db.Put(KeyCodec.VersionCeiling, value);
                _ceiling = ceiling;
            }
            return _next++;
        }
    }
}

using System.Text;

namespace TieredKv.Server.Protocol;

/// <summary>
/// The arguments of one command, copied contiguously into a buffer the connection reuses: no
/// allocation per request in steady state. Argument 0 is the command name.
/// </summary>
internal sealed class CommandArgs
{
    /// <summary>Small to start with: an idle connection costs little, a busy one grows it once to what its commands need.</summary>
    private const int InitialBytes = 512;

    private byte[] _buffer = new byte[InitialBytes];
    private int[] _starts = new int[16];
    private int[] _lengths = new int[16];
    private int _used;

    public int Count { get; private set; }

    public ReadOnlySpan<byte> this[int index] => _buffer.AsSpan(_starts[index], _lengths[index]);

    public byte[] ToArray(int index) => this[index].ToArray();

    public string ToText(int index) => Encoding.UTF8.GetString(this[index]);

    /// <summary>True when argument <paramref name="index"/> equals <paramref name="word"/> ignoring ASCII case.</summary>
    public bool Is(int index, ReadOnlySpan<byte> word) => Ascii.EqualsIgnoreCase(this[index], word);

    public void Clear()
    {
        Count = 0;
        _used = 0;
    }

    /// <summary>Reserves room for the next argument of <paramref name="length"/> bytes and returns it to fill.</summary>
    public Span<byte> Add(int length)
    {
        if (Count == _starts.Length)
        {
            Array.Resize(ref _starts, Count * 2);
            Array.Resize(ref _lengths, Count * 2);
        }
        if (_used + length > _buffer.Length)
        {
            long size = Math.Max((long)_buffer.Length * 2, (long)_used + length);
            Array.Resize(ref _buffer, (int)Math.Min(size, Array.MaxLength));
        }
        _starts[Count] = _used;
        _lengths[Count] = length;
        Count++;
        _used += length;
        return _buffer.AsSpan(_used - length, length);
    }

    /// <summary>Returns a large buffer to the GC after a big request, so one huge command does not pin memory forever.</summary>
    public void Trim()
    {
        if (_buffer.Length > 1 << 20 && _used < InitialBytes) _buffer = new byte[InitialBytes];
    }
}

using System.Buffers.Text;
using System.Text;

namespace TieredKv.Client;

/// <summary>Parses replies straight from a receive buffer over the socket's stream; optionally records the bytes of what it consumes.</summary>
internal sealed class RespReader(Stream stream, int bufferSize, string endpoint)
{
    private byte[] _buffer = new byte[bufferSize];
    private int _start;
    private int _end;
    private MemoryStream? _record;

    public RespReply Read()
    {
        int length = NextLineLength();
        if (length == 0) throw new RespException($"{endpoint} sent an empty reply line");
        byte type = _buffer[_start];
        var body = _buffer.AsSpan(_start + 1, length - 1);
        switch (type)
        {
            case (byte)'+':
                return Line(RespReplyKind.SimpleString, body, length);
            case (byte)'-':
                return Line(RespReplyKind.Error, body, length);
            case (byte)',':
                return Line(RespReplyKind.Double, body, length);
            case (byte)'(':
                return Line(RespReplyKind.BigNumber, body, length);
            case (byte)':':
            {
                long n = Number(length);
                return RespReply.FromInteger(n);
            }
            case (byte)'#':
            {
                bool value = body.SequenceEqual("t"u8);
                if (!value && !body.SequenceEqual("f"u8)) throw BadLine(length);
                Consume(length + 2);
                return RespReply.Create(RespReplyKind.Boolean, integer: value ? 1 : 0);
            }
            case (byte)'_':
                Consume(length + 2);
                return RespReply.Null;
            case (byte)'$' or (byte)'=' or (byte)'!':
            {
                long n = Number(length);
                if (n < 0) return RespReply.Null;
                if (n > int.MaxValue) throw new RespException($"{endpoint} sent a bulk string of {n} bytes");
                byte[] bytes = ReadBulk((int)n);
                return type switch
                {
                    (byte)'$' => RespReply.BulkString(bytes),
                    (byte)'!' => RespReply.Error(Encoding.UTF8.GetString(bytes)),
                    _ => RespReply.Create(RespReplyKind.VerbatimString, bulk: bytes.Length >= 4 && bytes[3] == ':' ? bytes[4..] : bytes),
                };
            }
            case (byte)'*' or (byte)'~' or (byte)'>' or (byte)'%' or (byte)'|':
            {
                long n = Number(length);
                if (n < 0) return RespReply.Null;
                if (type is (byte)'%' or (byte)'|') n *= 2;
                if (n > int.MaxValue) throw new RespException($"{endpoint} sent an aggregate of {n} elements");
                var items = new RespReply[n];
                for (int i = 0; i < items.Length; i++) items[i] = Read();
                return type switch
                {
                    (byte)'*' => RespReply.Array(items),
                    (byte)'~' => RespReply.Create(RespReplyKind.Set, items: items),
                    (byte)'>' => RespReply.Create(RespReplyKind.Push, items: items),
                    (byte)'%' => RespReply.Create(RespReplyKind.Map, items: items),
                    _ => Read(), // an attribute describes the reply that follows it
                };
            }
            default:
                throw BadLine(length);
        }
    }

    /// <summary>Reads one reply and returns exactly the bytes it arrived as.</summary>
    public byte[] ReadRaw()
    {
        _record = new MemoryStream();
        try
        {
            Read();
            return _record.ToArray();
        }
        finally
        {
            _record = null;
        }
    }

    /// <summary>True when the stream ends (or fails) before any more bytes arrive; bytes that do arrive stay buffered.</summary>
    public bool WaitForEnd()
    {
        if (_end > _start) return false;
        try
        {
            return !Fill();
        }
        catch (IOException)
        {
            return true;
        }
    }

    private RespReply Line(RespReplyKind kind, ReadOnlySpan<byte> body, int length)
    {
        string text = Encoding.UTF8.GetString(body);
        Consume(length + 2);
        return RespReply.Create(kind, text);
    }

    /// <summary>Parses the current line's number and consumes the line.</summary>
    private long Number(int length)
    {
        var digits = _buffer.AsSpan(_start + 1, length - 1);
        if (!Utf8Parser.TryParse(digits, out long n, out int used) || used != digits.Length) throw BadLine(length);
        Consume(length + 2);
        return n;
    }

    private RespException BadLine(int length) =>
        new($"{endpoint} sent an unexpected reply line '{Encoding.UTF8.GetString(_buffer, _start, length)}'");

    private byte[] ReadBulk(int length)
    {
        var bytes = new byte[length];
        int buffered = Math.Min(length, _end - _start);
        _buffer.AsSpan(_start, buffered).CopyTo(bytes);
        Consume(buffered);
        if (buffered < length)
        {
            // A large value goes straight from the socket into its array.
            try
            {
                stream.ReadExactly(bytes, buffered, length - buffered);
            }
            catch (EndOfStreamException)
            {
                throw Closed();
            }
            _record?.Write(bytes, buffered, length - buffered);
        }
        while (_end - _start < 2)
            if (!Fill()) throw Closed();
        if (_buffer[_start] != '\r' || _buffer[_start + 1] != '\n') throw new RespException($"{endpoint} sent a bulk string of {length} bytes without its line end");
        Consume(2);
        return bytes;
    }

    /// <summary>Buffers up to the next CRLF and returns the line's length without it; the line starts at <see cref="_start"/>.</summary>
    private int NextLineLength()
    {
        int searched = 0;
        while (true)
        {
            int at = _buffer.AsSpan(_start + searched, _end - _start - searched).IndexOf("\r\n"u8);
            if (at >= 0) return searched + at;
            searched = Math.Max(0, _end - _start - 1);
            if (!Fill()) throw Closed();
        }
    }

    /// <summary>Reads more bytes after those buffered, making room first; false at the end of the stream.</summary>
    private bool Fill()
    {
        if (_end == _buffer.Length)
        {
            int kept = _end - _start;
            if (_start == 0) Array.Resize(ref _buffer, _buffer.Length * 2);
            else _buffer.AsSpan(_start, kept).CopyTo(_buffer);
            _start = 0;
            _end = kept;
        }
        else if (_start == _end)
        {
            _start = _end = 0;
        }
        int n = stream.Read(_buffer, _end, _buffer.Length - _end);
        _end += n;
        return n > 0;
    }

    private void Consume(int count)
    {
        _record?.Write(_buffer, _start, count);
        _start += count;
    }

    private EndOfStreamException Closed() => new($"{endpoint} closed the connection");
}

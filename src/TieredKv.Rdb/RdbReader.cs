using System.Diagnostics.CodeAnalysis;
using System.Text;
using TieredKv.Rdb.Format;

namespace TieredKv.Rdb;

/// <summary>
/// Reads an RDB file (versions 1–11, i.e. up to Redis 7.2) from a stream, one key at a time. Each key's
/// elements are read from the stream as they are enumerated; moving to the next key skips what was not
/// read. Streams are read when <see cref="ReadStreams"/> is set (<see cref="RdbValue.Stream"/>), otherwise
/// read past and reported in <see cref="SkippedKeys"/> like module values; module AUX data is reported in
/// <see cref="Warnings"/>, function libraries collected in <see cref="FunctionLibraries"/>. Anything malformed, truncated or failing the
/// CRC-64 raises <see cref="RdbFormatException"/> with the byte offset.
/// </summary>
public sealed class RdbReader
{
    private static ReadOnlySpan<byte> Magic => "REDIS"u8;

    private readonly RdbInput _input;
    private readonly List<KeyValuePair<string, string>> _aux = [];
    private readonly List<string> _warnings = [];
    private readonly List<RdbSkippedKey> _skipped = [];
    private readonly List<byte[]> _functionLibraries = [];
    private RdbValue? _current;
    private int _db;

    public RdbReader(Stream stream)
    {
        _input = new RdbInput(stream);
        Span<byte> header = stackalloc byte[9];
        _input.ReadExactly(header, "the REDISnnnn header");
        if (!header[..5].SequenceEqual(Magic)) throw new RdbFormatException(0, "not an RDB file: it does not start with REDIS");
        int version = 0;
        foreach (byte digit in header[5..])
        {
            if (digit is < (byte)'0' or > (byte)'9') throw new RdbFormatException(5, "RDB version is not four digits");
            version = version * 10 + (digit - '0');
        }
        if (version < 1) throw new RdbFormatException(5, "RDB version 0 does not exist");
        if (version > RdbEncoding.MaxReadVersion)
            throw new RdbFormatException(5, $"RDB version {version} is newer than the {RdbEncoding.MaxReadVersion} we read");
        Version = version;
    }

    public int Version { get; }

    /// <summary>
    /// Hand out stream keys (<see cref="RdbValue.IsStream"/>) instead of skipping them. Off by default so that
    /// callers written for the other types (importing into a store without streams) see them as skipped keys.
    /// </summary>
    public bool ReadStreams { get; init; }

    /// <summary>AUX fields seen so far (redis-ver, ctime, …); all of them once <see cref="Completed"/>.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Aux => _aux;
    public IReadOnlyList<string> Warnings => _warnings;
    public IReadOnlyList<RdbSkippedKey> SkippedKeys => _skipped;

    /// <summary>The code of each function library (FUNCTION LOAD's argument) seen so far; all of them once <see cref="Completed"/>.</summary>
    public IReadOnlyList<byte[]> FunctionLibraries => _functionLibraries;

    /// <summary>True once the EOF opcode (and checksum, when present) has been read.</summary>
    public bool Completed { get; private set; }

    /// <summary>True when the file carried a non-zero checksum and it matched.</summary>
    public bool ChecksumVerified { get; private set; }

    /// <summary>Bytes consumed so far.</summary>
    public long Position => _input.Offset;

    /// <summary>Moves to the next key; false at the end of the file.</summary>
    public bool TryReadNext([NotNullWhen(true)] out RdbEntry? entry)
    {
        entry = null;
        _current?.SkipRest();
        _current = null;
        if (Completed) return false;
        long? expireAt = null;
        long? idle = null;
        int? freq = null;
        while (true)
        {
            long at = _input.Offset;
            byte type = _input.ReadByte("a record type");
            switch (type)
            {
                case RdbOpcode.Eof:
                    ReadChecksum();
                    Completed = true;
                    return false;
                case RdbOpcode.SelectDb:
                {
                    ulong db = _input.ReadLength("database number");
                    if (db > int.MaxValue) throw new RdbFormatException(at, $"database number {db} out of range");
                    _db = (int)db;
                    continue;
                }
                case RdbOpcode.ResizeDb:
                    _input.ReadLength("database size hint");
                    _input.ReadLength("expires size hint");
                    continue;
                case RdbOpcode.Aux:
                {
                    string name = Encoding.UTF8.GetString(_input.ReadString("AUX field name"));
                    string auxValue = Encoding.UTF8.GetString(_input.ReadString("AUX field value"));
                    _aux.Add(new(name, auxValue));
                    continue;
                }
                case RdbOpcode.ExpireTime:
                    expireAt = _input.ReadUInt32LittleEndian("expire time (seconds)") * 1000L;
                    continue;
                case RdbOpcode.ExpireTimeMs:
                    expireAt = (long)_input.ReadUInt64LittleEndian("expire time (ms)");
                    continue;
                case RdbOpcode.Freq:
                    freq = _input.ReadByte("LFU frequency");
                    continue;
                case RdbOpcode.Idle:
                    idle = (long)Math.Min(_input.ReadLength("LRU idle time"), long.MaxValue);
                    continue;
                case RdbOpcode.ModuleAux:
                {
                    ulong moduleId = _input.ReadLength("module id");
                    ulong whenOpcode = _input.ReadLength("module AUX when opcode");
                    if (whenOpcode != RdbEncoding.ModuleUInt) throw new RdbFormatException(at, "module AUX data without its 'when' field");
                    _input.ReadLength("module AUX when");
                    RdbValueParser.SkipModuleValue(_input);
                    _warnings.Add($"skipped module AUX data of module id {moduleId} at offset {at}");
                    continue;
                }
                case RdbOpcode.Function2:
                case RdbOpcode.FunctionPreGa:
                    _functionLibraries.Add(FunctionRecord.Read(_input, type));
                    continue;
            }
            if (!RdbValueType.IsKnown(type)) throw new RdbFormatException(at, $"unknown record type {type}");
            byte[] key = _input.ReadString("key");
            RdbValue? value = RdbValueParser.Open(_input, type, ReadStreams);
            if (value == null)
            {
                string kind = RdbValueType.IsStream(type) ? "stream" : "module value";
                _skipped.Add(new RdbSkippedKey(_db, key, type, $"{kind}s are not supported"));
                _warnings.Add($"skipped key '{Encoding.UTF8.GetString(key)}' in db {_db}: {kind}s are not supported");
                expireAt = null; idle = null; freq = null;
                continue;
            }
            _current = value;
            entry = new RdbEntry(_db, key, expireAt, value) { IdleSeconds = idle, Frequency = freq };
            return true;
        }
    }

    /// <summary>Reads every remaining key (for verification); returns how many there were.</summary>
    public long ReadToEnd()
    {
        long n = 0;
        while (TryReadNext(out _)) n++;
        return n;
    }

    private void ReadChecksum()
    {
        if (Version < 5) return;
        ulong computed = _input.Crc;
        long at = _input.Offset;
        ulong stored = _input.ReadUInt64LittleEndian("the CRC-64 after EOF");
        if (stored == 0)
        {
            _warnings.Add("the file's checksum is disabled (zero): not verified");
            return;
        }
        if (stored != computed) throw new RdbFormatException(at, $"CRC-64 mismatch: file says {stored:x16}, content is {computed:x16}");
        ChecksumVerified = true;
    }
}

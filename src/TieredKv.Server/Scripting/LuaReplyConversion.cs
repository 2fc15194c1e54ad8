using System.Buffers.Text;
using System.Globalization;
using System.Text;
using KeraLua;
using TieredKv.Server.Protocol;

namespace TieredKv.Server.Scripting;

/// <summary>
/// Redis's conversions between command replies and Lua values, both ways. RESP→Lua: integer → number, bulk → string,
/// nil bulk and nil array → false, array → table, status → {ok=…}, error → {err=…}; and the RESP3 types a script
/// that called <c>redis.setresp(3)</c> gets: null → nil, boolean → boolean, double → {double=…}, big number →
/// {big_number=…}, verbatim → {verbatim_string={format=…, string=…}}, map → {map={k=v…}}, set → {set={m=true…}}.
/// Lua→RESP: number → integer (truncated), string → bulk, table → {ok=}/{err=}/{double=}/{big_number=}/
/// {verbatim_string=}/{map=}/{set=} or an array up to its first nil, true → 1, false and nil → nil (booleans as
/// RESP3 booleans once the script chose RESP3), each written in the calling client's protocol.
/// </summary>
internal static class LuaReplyConversion
{
    /// <summary>Tables nested deeper than this end in an error (a table holding itself would never end).</summary>
    private const int MaxDepth = 1000;

    /// <summary>Pushes the Lua value of one RESP2 or RESP3 reply; <paramref name="offset"/> moves past it.</summary>
    public static void PushReply(Lua lua, ReadOnlySpan<byte> resp, ref int offset)
    {
        lua.CheckStack(4);
        byte kind = resp[offset];
        var line = Line(resp, ref offset);
        switch (kind)
        {
            case (byte)':':
                Utf8Parser.TryParse(line, out long integer, out _);
                lua.PushInteger(integer);
                break;
            case (byte)'+':
                PushSingleFieldTable(lua, "ok", line);
                break;
            case (byte)'-':
                PushSingleFieldTable(lua, "err", line);
                break;
            case (byte)'$':
                Utf8Parser.TryParse(line, out long length, out _);
                if (length < 0)
                {
                    lua.PushBoolean(false);
                    break;
                }
                lua.PushBuffer(resp.Slice(offset, (int)length).ToArray());
                offset += (int)length + 2;
                break;
            case (byte)'*':
                Utf8Parser.TryParse(line, out long count, out _);
                if (count < 0)
                {
                    lua.PushBoolean(false);
                    break;
                }
                lua.CreateTable((int)count, 0);
                for (long i = 1; i <= count; i++)
                {
                    PushReply(lua, resp, ref offset);
                    // A RESP3 null element is nil: the slot stays empty, as lua_settable leaves it in Redis.
                    lua.RawSetInteger(-2, i);
                }
                break;
            case (byte)'_':
                lua.PushNil();
                break;
            case (byte)'#':
                lua.PushBoolean(line.Length > 0 && line[0] == (byte)'t');
                break;
            case (byte)',':
                lua.CreateTable(0, 1);
                lua.PushNumber(ParseDouble(line));
                lua.SetField(-2, "double");
                break;
            case (byte)'(':
                PushSingleFieldTable(lua, "big_number", line);
                break;
            case (byte)'=':
                PushVerbatim(lua, resp, line, ref offset);
                break;
            case (byte)'%':
            case (byte)'~':
                PushMapOrSet(lua, resp, kind == (byte)'%', line, ref offset);
                break;
            case (byte)'|':
                // Attributes are not shown to scripts: skip them and push the reply they annotate.
                Utf8Parser.TryParse(line, out long attributes, out _);
                for (long i = 0; i < attributes * 2; i++)
                {
                    PushReply(lua, resp, ref offset);
                    lua.Pop(1);
                }
                PushReply(lua, resp, ref offset);
                break;
            default:
                throw new InvalidOperationException($"Unexpected reply type '{(char)kind}' inside a script");
        }
    }

    /// <summary>{map={key=value…}} or {set={member=true…}}; entries whose key or value is nil are left out, as Lua drops them.</summary>
    private static void PushMapOrSet(Lua lua, ReadOnlySpan<byte> resp, bool map, ReadOnlySpan<byte> line, ref int offset)
    {
        Utf8Parser.TryParse(line, out long count, out _);
        lua.CreateTable(0, 1);
        lua.CreateTable(0, (int)Math.Min(count, 1 << 16));
        for (long i = 0; i < count; i++)
        {
            PushReply(lua, resp, ref offset);
            if (map) PushReply(lua, resp, ref offset);
            else lua.PushBoolean(true);
            if (lua.IsNil(-2)) lua.Pop(2); // a nil key would raise inside lua_settable; Redis never sends one
            else lua.RawSet(-3);
        }
        lua.SetField(-2, map ? "map" : "set");
    }

    private static void PushVerbatim(Lua lua, ReadOnlySpan<byte> resp, ReadOnlySpan<byte> line, ref int offset)
    {
        Utf8Parser.TryParse(line, out long length, out _);
        var body = resp.Slice(offset, (int)length);
        offset += (int)length + 2;
        lua.CreateTable(0, 1);
        lua.CreateTable(0, 2);
        lua.PushBuffer(body[4..].ToArray());
        lua.SetField(-2, "string");
        lua.PushBuffer(body[..3].ToArray());
        lua.SetField(-2, "format");
        lua.SetField(-2, "verbatim_string");
    }

    private static double ParseDouble(ReadOnlySpan<byte> text) => Encoding.ASCII.GetString(text) switch
    {
        "inf" => double.PositiveInfinity,
        "-inf" => double.NegativeInfinity,
        "nan" or "-nan" => double.NaN,
        var s => double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture),
    };

    /// <summary>A table with one string field, as Redis represents status and error replies.</summary>
    public static void PushSingleFieldTable(Lua lua, string field, ReadOnlySpan<byte> value)
    {
        lua.CreateTable(0, 1);
        lua.PushBuffer(value.ToArray());
        lua.SetField(-2, field);
    }

    private static ReadOnlySpan<byte> Line(ReadOnlySpan<byte> resp, ref int offset)
    {
        int start = offset + 1;
        int end = start + resp[start..].IndexOf("\r\n"u8);
        offset = end + 2;
        return resp[start..end];
    }

    /// <summary>
    /// Writes the Lua value at <paramref name="index"/> (an absolute stack index) as the script's reply, in the protocol
    /// of <paramref name="reply"/>; <paramref name="scriptResp"/> is the protocol the script chose (redis.setresp).
    /// </summary>
    public static void WriteValue(Lua lua, int index, RespWriter reply, int scriptResp) => Write(lua, index, reply, scriptResp, 0);

    private static void Write(Lua lua, int index, RespWriter reply, int scriptResp, int depth)
    {
        switch (lua.Type(index))
        {
            case LuaType.Number:
                // An integer too goes through a double, as Redis's Lua 5.1 holds every number as one.
                reply.WriteInteger(Truncate(lua.IsInteger(index) ? lua.ToInteger(index) : lua.ToNumber(index)));
                break;
            case LuaType.String:
                reply.WriteBulk(lua.ToBuffer(index, false));
                break;
            case LuaType.Boolean when scriptResp == 3:
                reply.WriteBoolean(lua.ToBoolean(index));
                break;
            case LuaType.Boolean:
                if (lua.ToBoolean(index)) reply.WriteInteger(1);
                else reply.WriteNull();
                break;
            case LuaType.Table when depth < MaxDepth:
                WriteTable(lua, index, reply, scriptResp, depth);
                break;
            case LuaType.Table:
                // Redis stops where its Lua C stack ends (about 8000 levels) with this error; ours stops sooner,
                // its .NET recursion kept well inside a thread's stack.
                reply.WriteError("ERR reached lua stack limit");
                break;
            default:
                reply.WriteNull();
                break;
        }
    }

    /// <summary>A table is tried, in Redis's order, as an error, a status, a double, a big number, a verbatim string, a map, a set, and last an array.</summary>
    private static void WriteTable(Lua lua, int index, RespWriter reply, int scriptResp, int depth)
    {
        lua.CheckStack(4);
        if (StringField(lua, index, "err") is { } error)
        {
            reply.WriteError(error);
            return;
        }
        if (StringField(lua, index, "ok") is { } status)
        {
            reply.WriteSimpleString(status.Replace('\r', ' ').Replace('\n', ' '));
            return;
        }
        if (RawField(lua, index, "double") == LuaType.Number)
        {
            WriteDouble(reply, lua.ToNumber(-1));
            lua.Pop(1);
            return;
        }
        lua.Pop(1);
        if (RawField(lua, index, "big_number") == LuaType.String)
        {
            WriteBigNumber(reply, lua.ToBuffer(-1, false));
            lua.Pop(1);
            return;
        }
        lua.Pop(1);
        if (TryWriteVerbatim(lua, index, reply)) return;
        if (RawField(lua, index, "map") == LuaType.Table)
        {
            WriteMapOrSet(lua, lua.GetTop(), reply, scriptResp, depth, map: true);
            lua.Pop(1);
            return;
        }
        lua.Pop(1);
        if (RawField(lua, index, "set") == LuaType.Table)
        {
            WriteMapOrSet(lua, lua.GetTop(), reply, scriptResp, depth, map: false);
            lua.Pop(1);
            return;
        }
        lua.Pop(1);
        int length = 0;
        while (lua.RawGetInteger(index, length + 1) != LuaType.Nil)
        {
            lua.Pop(1);
            length++;
        }
        lua.Pop(1);
        reply.WriteArrayHeader(length);
        for (int i = 1; i <= length; i++)
        {
            lua.RawGetInteger(index, i);
            Write(lua, lua.GetTop(), reply, scriptResp, depth + 1);
            lua.Pop(1);
        }
    }

    /// <summary>
    /// A map's keys and values, or a set's keys, in the table's own traversal order (as Redis's lua_next walk). The
    /// entries are counted first: the header, unlike Redis's deferred length, is written before them.
    /// </summary>
    private static void WriteMapOrSet(Lua lua, int table, RespWriter reply, int scriptResp, int depth, bool map)
    {
        long count = 0;
        lua.PushNil();
        while (lua.Next(table))
        {
            lua.Pop(1);
            count++;
        }
        if (map) reply.WriteMapHeader(count);
        else reply.WriteSetHeader(count);
        lua.PushNil();
        while (lua.Next(table))
        {
            int value = lua.GetTop();
            Write(lua, value - 1, reply, scriptResp, depth + 1);
            if (map) Write(lua, value, reply, scriptResp, depth + 1);
            lua.Pop(1);
        }
    }

    /// <summary>{verbatim_string={format=…, string=…}}: both fields must be strings, else the table is tried as the next kinds.</summary>
    private static bool TryWriteVerbatim(Lua lua, int index, RespWriter reply)
    {
        int top = lua.GetTop();
        try
        {
            if (RawField(lua, index, "verbatim_string") != LuaType.Table) return false;
            if (RawField(lua, -1, "format") != LuaType.String) return false;
            if (RawField(lua, -2, "string") != LuaType.String) return false;
            var text = lua.ToBuffer(-1, false);
            if (!reply.IsResp3)
            {
                reply.WriteBulk(text);
                return true;
            }
            // Redis takes the format's first three bytes, padding a shorter one with spaces.
            var format = lua.ToBuffer(-2, false);
            Span<byte> prefix = stackalloc byte[4];
            bool ended = false;
            for (int i = 0; i < 3; i++)
            {
                ended |= i >= format.Length || format[i] == 0;
                prefix[i] = ended ? (byte)' ' : format[i];
            }
            prefix[3] = (byte)':';
            reply.WriteRaw(Encoding.ASCII.GetBytes($"={text.Length + 4}\r\n"));
            reply.WriteRaw(prefix);
            reply.WriteRaw(text);
            reply.WriteRaw(RespWriter.Crlf);
            return true;
        }
        finally
        {
            lua.SetTop(top);
        }
    }

    /// <summary>Redis's addReplyDouble: <c>%.17g</c> (inf and -inf spelled out), a bulk string in RESP2.</summary>
    private static void WriteDouble(RespWriter reply, double value)
    {
        string text = FormatG17(value);
        if (reply.IsResp3) reply.WriteRaw(Encoding.ASCII.GetBytes($",{text}\r\n"));
        else reply.WriteBulk(Encoding.ASCII.GetBytes(text));
    }

    /// <summary>C's <c>%.17g</c>; NaN keeps its sign as glibc prints it.</summary>
    public static string FormatG17(double value)
    {
        if (double.IsNaN(value)) return double.IsNegative(value) ? "-nan" : "nan";
        if (double.IsInfinity(value)) return value > 0 ? "inf" : "-inf";
        return RespWriter.FormatDouble(value);
    }

    /// <summary>A big number as Redis writes it: <c>(</c> in RESP3, a bulk string in RESP2; CR and LF become spaces.</summary>
    private static void WriteBigNumber(RespWriter reply, byte[] number)
    {
        var text = (byte[])number.Clone();
        for (int i = 0; i < text.Length; i++) if (text[i] is (byte)'\r' or (byte)'\n') text[i] = (byte)' ';
        if (!reply.IsResp3)
        {
            reply.WriteBulk(text);
            return;
        }
        reply.WriteRaw("("u8);
        reply.WriteRaw(text);
        reply.WriteRaw(RespWriter.Crlf);
    }

    /// <summary>Pushes the field <paramref name="name"/> of the table at <paramref name="index"/>, read without metamethods; answers its type.</summary>
    private static LuaType RawField(Lua lua, int index, string name)
    {
        index = lua.AbsIndex(index);
        lua.PushString(name);
        return lua.RawGet(index);
    }

    /// <summary>
    /// The field <paramref name="name"/> of the table at <paramref name="index"/> when it is a string, read without
    /// metamethods, up to its first zero byte: Redis reads these fields (err, ok, source) as C strings.
    /// </summary>
    public static string? StringField(Lua lua, int index, string name)
    {
        index = lua.AbsIndex(index);
        lua.PushString(name);
        lua.RawGet(index);
        string? value = null;
        if (lua.Type(-1) == LuaType.String)
        {
            var bytes = lua.ToBuffer(-1, false).AsSpan();
            int zero = bytes.IndexOf((byte)0);
            value = Encoding.UTF8.GetString(zero < 0 ? bytes : bytes[..zero]);
        }
        lua.Pop(1);
        return value;
    }

    /// <summary>
    /// Redis's Lua 5.1 has only doubles and casts them to <c>long long</c>: the fraction goes, and a value out of range
    /// (or NaN) becomes the x86 "integer indefinite", <see cref="long.MinValue"/> (.NET would saturate instead).
    /// </summary>
    public static long Truncate(double value) =>
        double.IsNaN(value) || value >= 9223372036854775808.0 || value < -9223372036854775808.0 ? long.MinValue : (long)value;

    /// <summary>
    /// A number argument of <c>redis.call</c> as Redis 7.0 words it: the double written with <c>%.17g</c> (<c>3.5</c>,
    /// <c>0.10000000000000001</c>, <c>1e+20</c>); an integer too, as Lua 5.1 holds it as a double.
    /// </summary>
    public static string NumberArgument(Lua lua, int index) =>
        FormatG17(lua.IsInteger(index) ? lua.ToInteger(index) : lua.ToNumber(index));
}

using System.Buffers.Text;
using System.Globalization;
using System.Text;
using KeraLua;
using TieredKv.Server.Protocol;

namespace TieredKv.Server.Scripting;

/// <summary>
/// Redis's conversions between command replies and Lua values, both ways. RESP→Lua: integer → number, bulk → string,
/// nil bulk and nil array → false, array → table, status → {ok=…}, error → {err=…}. Lua→RESP: number → integer
/// (truncated), string → bulk, table → {ok=}/{err=} or an array up to its first nil, true → 1, false and nil → nil.
/// </summary>
internal static class LuaReplyConversion
{
    /// <summary>Tables nested deeper than this end in an error (a table holding itself would never end).</summary>
    private const int MaxDepth = 1000;

    /// <summary>Pushes the Lua value of one RESP2 reply; <paramref name="offset"/> moves past it.</summary>
    public static void PushReply(Lua lua, ReadOnlySpan<byte> resp, ref int offset)
    {
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
                    lua.CheckStack(2);
                    PushReply(lua, resp, ref offset);
                    lua.RawSetInteger(-2, i);
                }
                break;
            default:
                throw new InvalidOperationException($"Unexpected reply type '{(char)kind}' inside a script");
        }
    }

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

    /// <summary>Writes the Lua value at <paramref name="index"/> (an absolute stack index) as the script's reply.</summary>
    public static void WriteValue(Lua lua, int index, RespWriter reply, int depth = 0)
    {
        switch (lua.Type(index))
        {
            case LuaType.Number:
                reply.WriteInteger(lua.IsInteger(index) ? lua.ToInteger(index) : Truncate(lua.ToNumber(index)));
                break;
            case LuaType.String:
                reply.WriteBulk(lua.ToBuffer(index, false));
                break;
            case LuaType.Boolean:
                if (lua.ToBoolean(index)) reply.WriteInteger(1);
                else reply.WriteNull();
                break;
            case LuaType.Table when depth < MaxDepth:
                WriteTable(lua, index, reply, depth);
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

    private static void WriteTable(Lua lua, int index, RespWriter reply, int depth)
    {
        lua.CheckStack(3);
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
            WriteValue(lua, lua.GetTop(), reply, depth + 1);
            lua.Pop(1);
        }
    }

    /// <summary>The field <paramref name="name"/> of the table at <paramref name="index"/> when it is a string, read without metamethods.</summary>
    public static string? StringField(Lua lua, int index, string name)
    {
        index = lua.AbsIndex(index);
        lua.PushString(name);
        lua.RawGet(index);
        string? value = lua.Type(-1) == LuaType.String ? Encoding.UTF8.GetString(lua.ToBuffer(-1, false)) : null;
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
    /// A number argument of <c>redis.call</c> as Redis words it: an integer in decimal, a float in its shortest
    /// round-trip form (<c>3.5</c>, <c>5</c>, <c>1e+20</c>).
    /// </summary>
    public static string NumberArgument(Lua lua, int index)
    {
        if (lua.IsInteger(index)) return lua.ToInteger(index).ToString(CultureInfo.InvariantCulture);
        double d = lua.ToNumber(index);
        if (double.IsNaN(d)) return "nan";
        if (double.IsInfinity(d)) return d > 0 ? "inf" : "-inf";
        string text = d.ToString("R", CultureInfo.InvariantCulture);
        int e = text.IndexOf('E');
        if (e < 0) return text;
        // .NET writes 1E+20 and 1E-07, C's %g writes 1e+20 and 1e-07.
        string exponent = text[(e + 2)..].PadLeft(2, '0');
        return $"{text[..e]}e{text[e + 1]}{exponent}";
    }
}

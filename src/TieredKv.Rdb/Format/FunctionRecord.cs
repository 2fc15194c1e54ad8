using System.Text;

namespace TieredKv.Rdb.Format;

/// <summary>One function library record of an RDB file or functions payload (the opcode is read or written by the caller's loop).</summary>
internal static class FunctionRecord
{
    public static void Write(RdbOutput output, byte[] code)
    {
        output.WriteByte(RdbOpcode.Function2);
        output.WriteString(code);
    }

    /// <summary>
    /// The library's code after its opcode. The 7.0 release candidates stored name, engine, an optional description
    /// and the body apart; Redis turns those into the <c>#!engine name=…</c> form that FUNCTION LOAD takes, and so do we.
    /// </summary>
    public static byte[] Read(RdbInput input, byte opcode)
    {
        if (opcode == RdbOpcode.Function2) return input.ReadString("function library");
        byte[] name = input.ReadString("function library name");
        byte[] engine = input.ReadString("function engine name");
        if (input.ReadLength("function description flag") != 0) input.SkipString("function description");
        byte[] body = input.ReadString("function library code");
        return [.. Encoding.UTF8.GetBytes($"#!{Encoding.UTF8.GetString(engine)} name={Encoding.UTF8.GetString(name)}\n"), .. body];
    }
}

using System.Text;
using TieredKv.Keyspace;

namespace TieredKv.Server.Scripting;

/// <summary>A library's first line, <c>#!lua name=&lt;library&gt;</c>: the engine and the library's name, checked as Redis 7.0 does.</summary>
internal static class FunctionLibraryMetadata
{
    public const string NameRule = "names can only contain letters, numbers, or underscores(_) and must be at least one character long";

    /// <summary>The library name, and the body Lua compiles (the shebang line blanked, keeping the line numbers).</summary>
    public static (string Name, byte[] Body) Parse(byte[] code)
    {
        if (code.Length < 2 || code[0] != '#' || code[1] != '!') throw new KvException("ERR Missing library metadata");
        int lineEnd = Array.IndexOf(code, (byte)'\n');
        if (lineEnd < 0) lineEnd = code.Length;
        string line = Encoding.UTF8.GetString(code, 2, lineEnd - 2).TrimEnd('\r');
        string[] parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        string engine = parts.Length > 0 ? parts[0] : "";
        if (!engine.Equals("lua", StringComparison.OrdinalIgnoreCase)) throw new KvException($"ERR Engine '{engine}' not found");
        string? name = null;
        foreach (var part in parts.Skip(1))
        {
            if (!part.StartsWith("name=", StringComparison.Ordinal)) throw new KvException($"ERR Invalid metadata value given: {part}");
            name = part["name=".Length..];
        }
        if (name == null) throw new KvException("ERR Library name was not given");
        if (!IsValidName(name)) throw new KvException("ERR Library " + NameRule);
        var body = new byte[code.Length - lineEnd];
        Array.Copy(code, lineEnd, body, 0, body.Length);
        return (name, body);
    }

    public static bool IsValidName(string name) => name.Length > 0 && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
}

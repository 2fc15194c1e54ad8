using System.Text;
using TieredKv.Keyspace;

namespace TieredKv.Server.Scripting;

/// <summary>The flags a script declares in its <c>#!lua flags=…</c> shebang (Redis 7).</summary>
[Flags]
internal enum ScriptFlags
{
    None = 0,
    NoWrites = 1,
    AllowOom = 2,
    AllowStale = 4,
    NoCluster = 8,
    AllowCrossSlotKeys = 16,

    /// <summary>The script has a shebang at all: Redis then holds it to its flags (EVAL_RO needs no-writes).</summary>
    Declared = 32,
}

/// <summary>Reads a script's shebang line and hands back the body Lua compiles.</summary>
internal static class ScriptShebang
{
    /// <summary>
    /// The declared flags, and the body with the shebang line blanked (Lua's <c>load</c> does not skip a <c>#</c>
    /// line, and keeping the newline keeps the line numbers errors name). A script without a shebang has no flags.
    /// </summary>
    public static (ScriptFlags Flags, byte[] Body) Parse(byte[] script)
    {
        if (script.Length < 2 || script[0] != '#' || script[1] != '!') return (ScriptFlags.None, script);
        int lineEnd = Array.IndexOf(script, (byte)'\n');
        if (lineEnd < 0) throw new KvException("ERR Invalid script shebang");
        string line = Encoding.UTF8.GetString(script, 0, lineEnd).TrimEnd('\r');
        string[] parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts[0] != "#!lua") throw new KvException($"ERR Unexpected engine in script shebang: {parts[0]}");
        var flags = ScriptFlags.Declared;
        foreach (var option in parts.Skip(1))
        {
            if (!option.StartsWith("flags=", StringComparison.Ordinal)) throw new KvException($"ERR Unknown lua shebang option: {option}");
            string list = option["flags=".Length..];
            // "flags=" declares none; an empty name inside a list is refused, as Redis does.
            if (list.Length > 0)
                foreach (var flag in list.Split(',')) flags |= Flag(flag);
        }
        var body = new byte[script.Length - lineEnd];
        Array.Copy(script, lineEnd, body, 0, body.Length);
        return (flags, body);
    }

    /// <summary>A flag by its Redis name (the names a function's flags list also uses).</summary>
    public static ScriptFlags FlagNamed(string name) => Flag(name);

    private static ScriptFlags Flag(string name) => name switch
    {
        "no-writes" => ScriptFlags.NoWrites,
        "allow-oom" => ScriptFlags.AllowOom,
        "allow-stale" => ScriptFlags.AllowStale,
        "no-cluster" => ScriptFlags.NoCluster,
        "allow-cross-slot-keys" => ScriptFlags.AllowCrossSlotKeys,
        _ => throw new KvException($"ERR Unexpected flag in script shebang: {name}"),
    };
}

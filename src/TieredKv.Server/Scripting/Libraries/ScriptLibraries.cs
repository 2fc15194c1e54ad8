using KeraLua;

namespace TieredKv.Server.Scripting.Libraries;

/// <summary>
/// Loads the libraries Redis 7.0 preloads for scripts (cjson, cmsgpack, bit, struct) as globals. They are written in Lua:
/// their errors are raised by Lua itself, so nothing longjmps across a .NET frame.
/// </summary>
internal static class ScriptLibraries
{
    private static readonly (string Name, string Source)[] All =
    [
        ("bit", BitLibrary.Source),
        ("cjson", CJsonLibrary.Source),
        ("cmsgpack", CMsgPackLibrary.Source),
        ("struct", StructLibrary.Source),
    ];

    /// <summary>
    /// Expects the bootstrap's script position function on top of the stack and pops it. Each library chunk is
    /// loaded without line information (the line hook must see only script lines) and gets the position function
    /// and the light userdata <c>cjson.null</c> is.
    /// </summary>
    public static void Load(Lua lua)
    {
        foreach (var (name, source) in All)
        {
            PushStripped(lua, name, source);
            lua.PushCopy(-2);
            lua.PushLightUserData(IntPtr.Zero);
            if (lua.PCall(2, 1, 0) != LuaStatus.OK) throw new InvalidOperationException($"{name}: {lua.ToString(-1)}");
            lua.SetGlobal(name);
        }
        lua.Pop(1);
    }

    /// <summary>Compiles a chunk, then loads it again from <c>string.dump</c> without its line information.</summary>
    private static void PushStripped(Lua lua, string name, string source)
    {
        lua.GetGlobal("string");
        lua.GetField(-1, "dump");
        lua.Remove(-2);
        if (lua.LoadString(source, "=" + name) != LuaStatus.OK) throw new InvalidOperationException($"{name}: {lua.ToString(-1)}");
        lua.PushBoolean(true);
        if (lua.PCall(2, 1, 0) != LuaStatus.OK) throw new InvalidOperationException($"{name}: {lua.ToString(-1)}");
        byte[] dumped = lua.ToBuffer(-1, false);
        lua.Pop(1);
        if (lua.LoadBuffer(dumped, "=" + name, "b") != LuaStatus.OK) throw new InvalidOperationException($"{name}: {lua.ToString(-1)}");
    }
}

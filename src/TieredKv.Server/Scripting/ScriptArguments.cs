using KeraLua;
using TieredKv.Server.Protocol;

namespace TieredKv.Server.Scripting;

/// <summary>
/// A script's KEYS and ARGV where the command's arguments hold them: <see cref="KeyCount"/> keys from
/// <see cref="FirstKey"/>, then the rest as ARGV. They go into Lua straight from the argument buffer, uncopied.
/// </summary>
internal readonly struct ScriptArguments(CommandArgs args, int firstKey, int keyCount)
{
    public int KeyCount => keyCount;

    public int ArgvCount => args.Count - firstKey - keyCount;

    /// <summary>Pushes a new table of the keys (as KEYS is built).</summary>
    public void PushKeys(Lua lua) => PushTable(lua, firstKey, keyCount);

    /// <summary>Pushes a new table of the other arguments (as ARGV is built).</summary>
    public void PushArgv(Lua lua) => PushTable(lua, firstKey + keyCount, ArgvCount);

    private void PushTable(Lua lua, int start, int count)
    {
        lua.CheckStack(3);
        lua.CreateTable(count, 0);
        for (int i = 0; i < count; i++)
        {
            LuaNative.PushBytes(lua, args[start + i]);
            lua.RawSetInteger(-2, i + 1);
        }
    }
}

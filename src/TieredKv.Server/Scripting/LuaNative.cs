using System.Runtime.InteropServices;
using KeraLua;

namespace TieredKv.Server.Scripting;

/// <summary>
/// Direct calls into the Lua library KeraLua loads (liblua54), for what KeraLua offers only with a copy into a new
/// array or through a delegate: reading a string argument in place, pushing bytes from a span, and registering a C
/// function that is an <see cref="UnmanagedCallersOnly"/> method (no delegate thunk on every <c>redis.call</c>).
/// </summary>
internal static unsafe partial class LuaNative
{
    private const string Library = "lua54";

    [LibraryImport(Library)]
    private static partial byte* lua_tolstring(IntPtr state, int index, out nuint length);

    [LibraryImport(Library)]
    private static partial IntPtr lua_pushlstring(IntPtr state, byte* bytes, nuint length);

    [LibraryImport(Library)]
    private static partial void lua_pushcclosure(IntPtr state, delegate* unmanaged<IntPtr, int> function, int upvalues);

    [LibraryImport(Library)]
    private static partial void lua_pushlightuserdata(IntPtr state, IntPtr pointer);

    [LibraryImport(Library)]
    private static partial IntPtr lua_touserdata(IntPtr state, int index);

    /// <summary>
    /// The bytes of the string at <paramref name="index"/>, valid while the value stays on the stack. Only for values
    /// of type string: Lua would convert a number in place.
    /// </summary>
    public static ReadOnlySpan<byte> StringAt(Lua lua, int index)
    {
        byte* bytes = lua_tolstring(lua.Handle, index, out nuint length);
        return bytes == null ? default : new ReadOnlySpan<byte>(bytes, checked((int)length));
    }

    public static void PushBytes(Lua lua, ReadOnlySpan<byte> bytes)
    {
        fixed (byte* pointer = bytes) lua_pushlstring(lua.Handle, pointer, (nuint)bytes.Length);
    }

    /// <summary>Pushes <paramref name="function"/> as a C closure whose one upvalue is <paramref name="target"/> (a GCHandle's pointer).</summary>
    public static void PushFunction(Lua lua, delegate* unmanaged<IntPtr, int> function, GCHandle target)
    {
        lua_pushlightuserdata(lua.Handle, GCHandle.ToIntPtr(target));
        lua_pushcclosure(lua.Handle, function, 1);
    }

    /// <summary>The object whose GCHandle <see cref="PushFunction"/> gave the running C closure.</summary>
    public static T Target<T>(IntPtr state) where T : class =>
        (T)GCHandle.FromIntPtr(lua_touserdata(state, Lua.UpValueIndex(1))).Target!;
}

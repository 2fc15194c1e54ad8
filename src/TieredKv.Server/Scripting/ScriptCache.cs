using System.Security.Cryptography;

namespace TieredKv.Server.Scripting;

/// <summary>A compiled script: its flags and the registry reference of its Lua function.</summary>
internal sealed record CachedScript(string Sha, ScriptFlags Flags, int FunctionRef);

/// <summary>Scripts by the SHA1 of their text, as EVAL and SCRIPT LOAD leave them for EVALSHA. Guarded by the runner's Lua lock.</summary>
internal sealed class ScriptCache
{
    private readonly Dictionary<string, CachedScript> _scripts = new(StringComparer.Ordinal);

    public int Count => _scripts.Count;

    public bool TryGet(string sha, out CachedScript? script) => _scripts.TryGetValue(sha, out script);

    /// <summary>EVALSHA's lookup: the SHA in any case, as the command's argument holds it, without making a string of it.</summary>
    public CachedScript? Find(ReadOnlySpan<byte> sha)
    {
        if (sha.Length != 40) return null;
        Span<char> lower = stackalloc char[40];
        for (int i = 0; i < 40; i++) lower[i] = (char)(sha[i] is >= (byte)'A' and <= (byte)'Z' ? sha[i] + 32 : sha[i]);
        return _scripts.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(lower, out var script) ? script : null;
    }

    public void Add(CachedScript script) => _scripts[script.Sha] = script;

    /// <summary>Empties the cache, handing back what was in it (the runner releases their Lua functions).</summary>
    public List<CachedScript> Clear()
    {
        var all = _scripts.Values.ToList();
        _scripts.Clear();
        return all;
    }

    /// <summary>Lower-case hex SHA1, the name Redis gives a script (and <c>redis.sha1hex</c>'s result).</summary>
    public static string Sha1Hex(ReadOnlySpan<byte> data) => Convert.ToHexStringLower(SHA1.HashData(data));
}

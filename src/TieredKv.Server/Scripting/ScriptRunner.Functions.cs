using System.Text;
using TieredKv.Keyspace;
using TieredKv.Rdb;
using TieredKv.Server.Dispatch;

namespace TieredKv.Server.Scripting;

/// <summary>
/// Redis 7.0 functions: the loaded libraries and their functions (in the same Lua state and under the same lock as
/// scripts), FCALL and FCALL_RO, and the libraries' code kept in the data directory, read back on first use after a start.
/// </summary>
internal sealed partial class ScriptRunner
{
    /// <summary>Libraries by name, in the order loaded.</summary>
    private readonly List<FunctionLibrary> _libraries = [];
    private readonly Dictionary<string, (FunctionRegistration Function, FunctionLibrary Library)> _functions = new(StringComparer.Ordinal);
    private FunctionLibraryFile? _libraryFile;

    /// <summary>FCALL and FCALL_RO: <c>function numkeys key… arg…</c>; the function gets KEYS and ARGV as its arguments.</summary>
    public void FCall(CommandContext c, bool readOnlyCommand)
    {
        if (!long.TryParse(c.Text(2), System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out long numKeys))
            throw new KvException("ERR Bad number of keys provided");
        var arguments = Arguments(c, numKeys);
        string name = c.Text(1);
        using var scope = new AtomicScope(c, _lock);
        RestoreLibraries(c);
        if (!_functions.TryGetValue(name, out var found)) throw new KvException("ERR Function not found");
        var function = found.Function;
        if (readOnlyCommand && !function.Flags.HasFlag(ScriptFlags.NoWrites))
            throw new KvException("ERR Can not execute a script with write flag using *_ro command.");
        Begin(c, readOnlyCommand || function.Flags.HasFlag(ScriptFlags.NoWrites));
        try
        {
            _sandbox.RunFunction(function.CallbackRef, function.Name, arguments, c.Reply);
        }
        finally
        {
            End(c);
        }
    }

    /// <summary>FUNCTION LOAD: runs the library's code, registers its functions and saves it; answers its name.</summary>
    public string LoadLibrary(CommandContext c, byte[] code, bool replace)
    {
        lock (_lock)
        {
            RestoreLibraries(c);
            var library = Install(code, replace);
            Save();
            return library.Name;
        }
    }

    private FunctionLibrary Install(byte[] code, bool replace)
    {
        var (name, body) = FunctionLibraryMetadata.Parse(code);
        var existing = _libraries.Find(l => l.Name == name);
        if (existing != null && !replace) throw new KvException($"ERR Library '{name}' already exists");
        var registered = _sandbox.LoadLibrary(body);
        try
        {
            if (registered.Count == 0) throw new KvException("ERR No functions registered");
            foreach (var function in registered)
                if (_functions.TryGetValue(function.Name, out var owner) && owner.Library != existing)
                    throw new KvException($"ERR Function {function.Name} already exists");
        }
        catch
        {
            foreach (var function in registered) _sandbox.Release(function.CallbackRef);
            throw;
        }
        if (existing != null) Remove(existing);
        var library = new FunctionLibrary(name, code, registered);
        _libraries.Add(library);
        foreach (var function in registered) _functions[function.Name] = (function, library);
        return library;
    }

    private void Remove(FunctionLibrary library)
    {
        _libraries.Remove(library);
        foreach (var function in library.Functions)
        {
            _functions.Remove(function.Name);
            _sandbox.Release(function.CallbackRef);
        }
    }

    /// <summary>FUNCTION DELETE.</summary>
    public void DeleteLibrary(CommandContext c, string name)
    {
        lock (_lock)
        {
            RestoreLibraries(c);
            var library = _libraries.Find(l => l.Name == name) ?? throw new KvException("ERR Library not found");
            Remove(library);
            Save();
        }
    }

    /// <summary>FUNCTION FLUSH.</summary>
    public void FlushLibraries(CommandContext c)
    {
        lock (_lock)
        {
            RestoreLibraries(c);
            foreach (var library in _libraries.ToList()) Remove(library);
            Save();
        }
    }

    /// <summary>The loaded libraries whose names match <paramref name="pattern"/> (all when null), for FUNCTION LIST.</summary>
    public List<FunctionLibrary> Libraries(CommandContext c, byte[]? pattern)
    {
        lock (_lock)
        {
            RestoreLibraries(c);
            return _libraries.Where(l => pattern == null || GlobPattern.Match(pattern, Encoding.UTF8.GetBytes(l.Name))).ToList();
        }
    }

    public (int Libraries, int Functions) FunctionCounts(CommandContext c)
    {
        lock (_lock)
        {
            RestoreLibraries(c);
            return (_libraries.Count, _functions.Count);
        }
    }

    /// <summary>On first use, loads the libraries the data directory kept (the server's options are only known then).</summary>
    private void RestoreLibraries(CommandContext c)
    {
        if (_libraryFile != null) return;
        var file = new FunctionLibraryFile(c.Server.Options.Dir);
        foreach (var code in file.Read()) Install(code, replace: true);
        _libraryFile = file;
    }

    private void Save() => _libraryFile!.Write(_libraries.Select(l => l.Code));

    /// <summary>FUNCTION DUMP: every library's code as Redis's functions payload (FUNCTION2 records, RDB version, CRC-64).</summary>
    public byte[] DumpLibraries(CommandContext c) => FunctionsPayload.Encode(LibraryCodes(c));

    /// <summary>Each loaded library's code, in load order: what FUNCTION DUMP and RDB files carry.</summary>
    public List<byte[]> LibraryCodes(CommandContext c)
    {
        lock (_lock)
        {
            RestoreLibraries(c);
            return _libraries.Select(l => l.Code).ToList();
        }
    }

    /// <summary>
    /// FUNCTION RESTORE (and an RDB file's libraries): all the payload's libraries or none. FLUSH drops the loaded ones
    /// first; APPEND refuses a library that exists; REPLACE replaces it.
    /// </summary>
    public void RestoreLibraries(CommandContext c, IReadOnlyList<byte[]> codes, string policy)
    {
        lock (_lock)
        {
            RestoreLibraries(c);
            var before = _libraries.Select(l => l.Code).ToList();
            try
            {
                if (policy == "FLUSH") foreach (var library in _libraries.ToList()) Remove(library);
                if (policy == "APPEND")
                    foreach (var code in codes)
                    {
                        string name = FunctionLibraryMetadata.Parse(code).Name;
                        // Redis's libraryJoin words this one without the quotes FUNCTION LOAD puts around the name.
                        if (_libraries.Exists(l => l.Name == name)) throw new KvException($"ERR Library {name} already exists");
                    }
                foreach (var code in codes) Install(code, replace: policy == "REPLACE");
            }
            catch (KvException)
            {
                // Puts back what was loaded before.
                foreach (var library in _libraries.ToList()) Remove(library);
                foreach (var code in before) Install(code, replace: false);
                throw;
            }
            Save();
        }
    }
}

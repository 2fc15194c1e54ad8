using System.Text;

namespace TieredKv.Server.Dispatch;

/// <summary>
/// Every command the server knows, as data: dispatch looks commands up here (by their bytes, any
/// case, without allocating) and COMMAND describes them from here.
/// </summary>
internal sealed class CommandTable
{
    private readonly Dictionary<string, CommandSpec> _byName = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, CommandSpec>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    /// <summary>Every command by its own name, renamed or not: for the server's own look-ups (as Redis's orig_commands).</summary>
    private readonly Dictionary<string, CommandSpec> _original = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>An empty table that <paramref name="register"/> fills with every command group.</summary>
    public CommandTable(Action<CommandTable> register)
    {
        _lookup = _byName.GetAlternateLookup<ReadOnlySpan<char>>();
        register(this);
    }

    public IEnumerable<CommandSpec> All => _byName.Values;

    /// <summary>Every command under its own name, renamed or disabled too (their statistics stay theirs).</summary>
    public IEnumerable<CommandSpec> Originals => _original.Values;
    public int Count => _byName.Count;

    public void Add(CommandSpec spec)
    {
        _byName.Add(spec.Name, spec);
        _original.Add(spec.Name, spec);
    }

    /// <summary>
    /// rename-command: clients find the command only by <paramref name="newName"/>, or not at all when it is
    /// empty. Its replies keep its own name, as Redis's do. Redis's start-up errors for a bad directive.
    /// </summary>
    public void Rename(string name, string newName)
    {
        if (!_byName.Remove(name, out var spec)) throw new FormatException($"No such command in rename-command: '{name}'");
        if (newName.Length > 0 && !_byName.TryAdd(newName, spec)) throw new FormatException($"Target command name already exists in rename-command: '{newName}'");
    }

    public bool TryGet(ReadOnlySpan<byte> name, out CommandSpec? spec)
    {
        spec = null;
        if (name.Length > 64) return false;
        Span<char> chars = stackalloc char[name.Length];
        int n = Encoding.ASCII.GetChars(name, chars);
        return _lookup.TryGetValue(chars[..n], out spec);
    }

    /// <summary>A command by its own name, whatever it was renamed to.</summary>
    public bool TryGet(string name, out CommandSpec? spec) => _original.TryGetValue(name, out spec);
}

using System.Text;

namespace TieredKv.Server.Commands;

/// <summary>
/// Every command the server knows, as data: dispatch looks commands up here (by their bytes, any
/// case, without allocating) and COMMAND describes them from here.
/// </summary>
internal sealed class CommandTable
{
    private readonly Dictionary<string, CommandSpec> _byName = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, CommandSpec>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    public CommandTable()
    {
        _lookup = _byName.GetAlternateLookup<ReadOnlySpan<char>>();
        ConnectionCommands.Register(this);
        ServerCommands.Register(this);
        KeyCommands.Register(this);
        StringCommands.Register(this);
        PubSubCommands.Register(this);
        TransactionCommands.Register(this);
        BitmapCommands.Register(this);
        LcsCommand.Register(this);
        ObjectCommands.Register(this);
        HashCommands.Register(this);
        ListCommands.Register(this);
        BlockingCommands.Register(this);
        SetCommands.Register(this);
        SortedSetCommands.Register(this);
        HyperLogLogCommands.Register(this);
        GeoCommands.Register(this);
        PersistenceCommands.Register(this);
    }

    public IEnumerable<CommandSpec> All => _byName.Values;
    public int Count => _byName.Count;

    public void Add(CommandSpec spec) => _byName.Add(spec.Name, spec);

    public bool TryGet(ReadOnlySpan<byte> name, out CommandSpec? spec)
    {
        spec = null;
        if (name.Length > 64) return false;
        Span<char> chars = stackalloc char[name.Length];
        int n = Encoding.ASCII.GetChars(name, chars);
        return _lookup.TryGetValue(chars[..n], out spec);
    }

    public bool TryGet(string name, out CommandSpec? spec) => _byName.TryGetValue(name, out spec);
}

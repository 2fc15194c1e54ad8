namespace TieredKv.Server.Config;

/// <summary>
/// Where a parameter's value lives: a typed property of <see cref="ServerOptions"/> that the server reads, or,
/// for a parameter that is accepted and ignored, the options' own table of stored values.
/// </summary>
internal sealed class ConfigSlot<T>
{
    private readonly Func<ServerOptions, T> _get;
    private readonly Action<ServerOptions, T> _set;

    private ConfigSlot(Func<ServerOptions, T> get, Action<ServerOptions, T> set)
    {
        _get = get;
        _set = set;
    }

    public static ConfigSlot<T> Bound(Func<ServerOptions, T> get, Action<ServerOptions, T> set) => new(get, set);

    /// <summary>Kept in <see cref="ServerOptions.StoredValues"/> under <paramref name="name"/>; <paramref name="initial"/> until set.</summary>
    public static ConfigSlot<T> Stored(string name, T initial) =>
        new(o => o.StoredValues.TryGetValue(name, out var v) ? (T)v! : initial, (o, v) => o.StoredValues[name] = v);

    public T Get(ServerOptions options) => _get(options);

    public void Set(ServerOptions options, T value) => _set(options, value);
}

using System.Text;
using TieredKv.Server.PubSub;

namespace TieredKv.Server.Tracking;

/// <summary>
/// Server-assisted client-side caching (CLIENT TRACKING), as Redis 7.0: in the default mode the keys each
/// client read, and in BCAST mode the prefixes each client follows; a write to a key sends its clients an
/// invalidation (a RESP3 push, or a message on <c>__redis__:invalidate</c> to a RESP2 redirect client).
/// </summary>
/// <remarks>
/// Keys are remembered without their database, as Redis's tracking table is. A key is forgotten once
/// invalidated; when more than <c>TrackingTableMaxKeys</c> are remembered, the surplus are invalidated (and
/// forgotten) at once, so the table's memory stays bounded. Clients are held by id: one that went away is
/// skipped (and dropped from the prefixes) when a message would go to it. One lock guards the maps; messages
/// are queued on the clients' outboxes, which never block.
/// </remarks>
internal sealed class TrackingTable(Func<long, ITrackingClient?> findClient, Func<long> maxKeys, PubSubHub pubSub)
{
    public const string RedirectChannel = "__redis__:invalidate";

    private readonly object _lock = new();
    private readonly Dictionary<string, HashSet<long>> _keys = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<long>> _prefixes = new(StringComparer.Ordinal);
    private readonly HashSet<long> _clients = [];
    private int _clientCount;

    /// <summary>Whether any client tracks: writes skip all tracking work otherwise.</summary>
    public bool Active => Volatile.Read(ref _clientCount) > 0;

    /// <summary>Keys remembered in the default mode (INFO's tracking_total_keys).</summary>
    public int KeyCount
    {
        get { lock (_lock) return _keys.Count; }
    }

    /// <summary>Key-client pairs remembered in the default mode (INFO's tracking_total_items).</summary>
    public long ItemCount
    {
        get { lock (_lock) return _keys.Values.Sum(clients => (long)clients.Count); }
    }

    /// <summary>BCAST prefixes followed by at least one client (INFO's tracking_total_prefixes).</summary>
    public int PrefixCount
    {
        get { lock (_lock) return _prefixes.Count; }
    }

    public int ClientCount => Volatile.Read(ref _clientCount);

    public static string Name(ReadOnlySpan<byte> key) => Encoding.Latin1.GetString(key);

    /// <summary>Starts tracking for a client whose settings are filled in (its prefixes, in BCAST mode).</summary>
    public void Enable(ITrackingClient client)
    {
        lock (_lock)
        {
            _clients.Add(client.Id);
            if (client.Tracking.Broadcast)
            {
                // BCAST without a prefix follows every key: the empty prefix.
                if (client.Tracking.Prefixes.Count == 0) Follow("", client.Id);
                foreach (var prefix in client.Tracking.Prefixes) Follow(prefix, client.Id);
            }
            Volatile.Write(ref _clientCount, _clients.Count);
        }
    }

    /// <summary>Adds prefixes to a BCAST client that already tracks (TRACKING ON again with more PREFIX options).</summary>
    public void AddPrefixes(ITrackingClient client, IEnumerable<string> prefixes)
    {
        lock (_lock)
            foreach (var prefix in prefixes) Follow(prefix, client.Id);
    }

    private void Follow(string prefix, long clientId)
    {
        if (!_prefixes.TryGetValue(prefix, out var ids)) _prefixes[prefix] = ids = [];
        ids.Add(clientId);
    }

    /// <summary>CLIENT TRACKING OFF (or RESET, or the client closing): its prefixes go at once, its keys when next written.</summary>
    public void Disable(ITrackingClient client)
    {
        lock (_lock)
        {
            _clients.Remove(client.Id);
            foreach (var prefix in client.Tracking.Prefixes.DefaultIfEmpty("")) Unfollow(prefix, client.Id);
            Volatile.Write(ref _clientCount, _clients.Count);
        }
        client.Tracking.Reset();
    }

    private void Unfollow(string prefix, long clientId)
    {
        if (_prefixes.TryGetValue(prefix, out var ids) && ids.Remove(clientId) && ids.Count == 0) _prefixes.Remove(prefix);
    }

    /// <summary>A client read <paramref name="key"/>: remember it, and invalidate the oldest keys beyond the table's limit.</summary>
    public void RememberRead(ITrackingClient client, ReadOnlySpan<byte> key)
    {
        string name = Name(key);
        lock (_lock)
        {
            if (!_keys.TryGetValue(name, out var ids)) _keys[name] = ids = [];
            ids.Add(client.Id);
            long limit = maxKeys();
            if (limit <= 0 || _keys.Count <= limit) return;
            // Redis evicts keys at random; a dictionary's first entries are as good and cost nothing to find.
            var surplus = _keys.Keys.Where(k => k != name).Take((int)Math.Min(_keys.Count - limit, int.MaxValue)).ToList();
            foreach (var evicted in surplus) InvalidateKey(evicted, writer: null);
        }
    }

    /// <summary>
    /// Keys were modified (by <paramref name="writer"/>'s command, or by expiry when null): the clients that read them,
    /// and the BCAST clients following a prefix of them, are told. BCAST clients get the command's keys in one message per prefix.
    /// </summary>
    public void Invalidate(IReadOnlyCollection<string> keys, ITrackingClient? writer)
    {
        lock (_lock)
        {
            foreach (var key in keys) InvalidateKey(key, writer);
            if (_prefixes.Count == 0) return;
            List<(string Prefix, long Id)>? gone = null;
            foreach (var (prefix, ids) in _prefixes)
            {
                var matching = keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).ToList();
                if (matching.Count == 0) continue;
                foreach (long id in ids)
                {
                    var owner = findClient(id);
                    if (owner == null)
                    {
                        (gone ??= []).Add((prefix, id));
                        continue;
                    }
                    if (owner.Tracking.NoLoop && ReferenceEquals(owner, writer)) continue;
                    Send(owner, matching);
                }
            }
            foreach (var (prefix, id) in gone ?? []) Unfollow(prefix, id);
        }
    }

    /// <summary>Holding the lock: forgets one key and tells the default-mode clients that read it.</summary>
    private void InvalidateKey(string key, ITrackingClient? writer)
    {
        if (!_keys.Remove(key, out var ids)) return;
        foreach (long id in ids)
        {
            var owner = findClient(id);
            if (owner == null || !owner.Tracking.Enabled || owner.Tracking.Broadcast) continue;
            if (owner.Tracking.NoLoop && ReferenceEquals(owner, writer)) continue;
            Send(owner, [key]);
        }
    }

    /// <summary>FLUSHALL or FLUSHDB: every tracking client hears a null invalidation (NOLOOP or not, as Redis), and the table empties.</summary>
    public void InvalidateAll()
    {
        lock (_lock)
        {
            _keys.Clear();
            foreach (long id in _clients)
                if (findClient(id) is { } owner && owner.Tracking.Enabled) Send(owner, null);
        }
    }

    /// <summary>One invalidation of <paramref name="keys"/> (null: everything) for <paramref name="owner"/>, to it or its redirect client.</summary>
    private void Send(ITrackingClient owner, List<string>? keys)
    {
        var tracking = owner.Tracking;
        var target = owner;
        if (tracking.RedirectId > 0)
        {
            if (findClient(tracking.RedirectId) is not { } redirect)
            {
                // Told at every invalidation that cannot be delivered, as Redis tells it.
                tracking.RedirectBroken = true;
                if (owner.Protocol == 3) owner.Deliver(InvalidationFrames.RedirectBroken(tracking.RedirectId));
                return;
            }
            target = redirect;
        }
        if (target.Protocol == 3) target.Deliver(InvalidationFrames.Push(keys));
        // A RESP2 connection cannot take pushes: only a redirect client subscribed to the channel hears.
        else if (tracking.RedirectId > 0 && pubSub.IsSubscribed(target, RedirectChannel)) target.Deliver(InvalidationFrames.Message(keys));
    }
}

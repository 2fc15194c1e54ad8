using System.Text;

namespace TieredKv.Server.Blocking;

/// <summary>
/// Clients blocked on keys, FIFO per (database, key). A write to a key wakes the first waiter not
/// already woken; a woken client that finds nothing blocks again at its place in the queues.
/// </summary>
internal sealed class BlockedClients
{
    private readonly object _lock = new();
    private readonly Dictionary<(int Db, string Key), LinkedList<Waiter>> _byKey = [];
    private readonly Dictionary<long, Waiter> _byClient = [];
    private long _generation;
    private int _blocked; // clients registered, counted before the generation check: lets a write skip the lock

    /// <summary>Changes on every signal: a blocking command reads it before looking at its keys.</summary>
    public long Generation => Interlocked.Read(ref _generation);

    /// <summary>How many clients are blocked (INFO's blocked_clients).</summary>
    public int Count
    {
        get { lock (_lock) return _byClient.Count; }
    }

    /// <summary>
    /// Registers (or re-arms, keeping its place) the client (by its id), and returns the task completed when one
    /// of its keys is written; null when a key was signalled since the request looked, so it must look again.
    /// </summary>
    public Task? Block(long clientId, BlockRequest request)
    {
        lock (_lock)
        {
            _byClient.TryGetValue(clientId, out var waiter);
            // Counted before the generation is read (both full fences): a write either sees the count and
            // takes the lock, or moved the generation first, and then this request looks at its keys again.
            if (waiter == null) Interlocked.Increment(ref _blocked);
            if (Interlocked.Read(ref _generation) != request.Generation)
            {
                if (waiter == null) Interlocked.Decrement(ref _blocked);
                return null;
            }
            if (waiter != null)
            {
                waiter.Woken = false;
                waiter.Signal = NewSignal();
                return waiter.Signal.Task;
            }
            waiter = new Waiter(clientId) { Signal = NewSignal() };
            foreach (var key in request.Keys)
            {
                var id = (request.Database, Name(key));
                if (waiter.Keys.Contains(id)) continue;
                if (!_byKey.TryGetValue(id, out var queue)) _byKey[id] = queue = new LinkedList<Waiter>();
                waiter.Keys.Add(id);
                waiter.Nodes.Add(queue.AddLast(waiter));
            }
            _byClient[clientId] = waiter;
            return waiter.Signal.Task;
        }
    }

    /// <summary>Removes the client from every queue (served, timed out, failed, or gone).</summary>
    public void Unblock(long clientId)
    {
        lock (_lock)
        {
            if (!_byClient.Remove(clientId, out var waiter)) return;
            Interlocked.Decrement(ref _blocked);
            for (int i = 0; i < waiter.Keys.Count; i++)
            {
                var queue = _byKey[waiter.Keys[i]];
                queue.Remove(waiter.Nodes[i]);
                if (queue.Count == 0) _byKey.Remove(waiter.Keys[i]);
            }
        }
    }

    /// <summary>CLIENT UNBLOCK: wakes the client if it is blocked (its command then runs again, and answers as told); false when it is not.</summary>
    public bool Wake(long clientId)
    {
        lock (_lock)
        {
            if (!_byClient.TryGetValue(clientId, out var waiter)) return false;
            waiter.Woken = true;
            waiter.Signal.TrySetResult();
            return true;
        }
    }

    /// <summary>Whether the client waits in a blocking command.</summary>
    public bool IsBlocked(long clientId)
    {
        lock (_lock) return _byClient.ContainsKey(clientId);
    }

    /// <summary>A key was written: wakes its first waiter that is not already woken.</summary>
    public void Signal(int database, ReadOnlySpan<byte> key)
    {
        Interlocked.Increment(ref _generation);
        // Every write command comes here: without blocked clients it must not serialize on the lock.
        if (Volatile.Read(ref _blocked) == 0) return;
        lock (_lock)
        {
            if (_byKey.Count == 0 || !_byKey.TryGetValue((database, Name(key)), out var queue)) return;
            foreach (var waiter in queue)
            {
                if (waiter.Woken) continue;
                waiter.Woken = true;
                waiter.Signal.TrySetResult();
                return;
            }
        }
    }

    /// <summary>
    /// A whole database changed (SWAPDB): wakes the first waiter of every key blocked on in it. Redis wakes only those
    /// whose key now holds data; a woken client that finds nothing blocks again at its place, so this is the same.
    /// </summary>
    public void SignalDatabase(int database)
    {
        Interlocked.Increment(ref _generation);
        if (Volatile.Read(ref _blocked) == 0) return;
        lock (_lock)
        {
            foreach (var (id, queue) in _byKey)
            {
                if (id.Db != database) continue;
                var waiter = queue.FirstOrDefault(w => !w.Woken);
                if (waiter == null) continue;
                waiter.Woken = true;
                waiter.Signal.TrySetResult();
            }
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static string Name(ReadOnlySpan<byte> key) => Encoding.Latin1.GetString(key);

    /// <summary>One blocked client and its place in each of its keys' queues.</summary>
    private sealed class Waiter(long clientId)
    {
        public long ClientId { get; } = clientId;
        public List<(int Db, string Key)> Keys { get; } = [];
        public List<LinkedListNode<Waiter>> Nodes { get; } = [];
        public bool Woken { get; set; }
        public required TaskCompletionSource Signal { get; set; }
    }
}

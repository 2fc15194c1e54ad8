using System.Threading.Tasks.Sources;

namespace TieredKv.Storage.Wal;

/// <summary>
/// Callers waiting, without holding a thread, for their deferred writes to be fsynced: the group-commit
/// thread takes everyone who arrived while the previous fsync was in flight and serves them all with the next.
/// </summary>
/// <remarks>Waiters are pooled and reused: waiting allocates nothing once the pool is warm.</remarks>
internal sealed class DurabilityWaiters
{
    private readonly object _gate = new();
    private readonly Stack<Waiter> _free = new();
    private List<Waiter> _waiting = [];
    private List<Waiter> _taken = [];
    private ulong _highestSequence;
    private bool _closed;

    /// <summary>Completes once deferred writes up to <paramref name="sequence"/> are durable, or faults with why they are not.</summary>
    public ValueTask WaitFor(ulong sequence)
    {
        Waiter waiter;
        lock (_gate)
        {
            if (_closed) return ValueTask.FromException(new ObjectDisposedException(objectName: null, message: "the database is closed"));
            waiter = _free.Count > 0 ? _free.Pop() : new Waiter(this);
            _waiting.Add(waiter);
            if (sequence > _highestSequence) _highestSequence = sequence;
            if (_waiting.Count == 1) Monitor.Pulse(_gate);
        }
        return waiter.Task;
    }

    /// <summary>
    /// Blocks the group-commit thread until someone waits, then hands it every waiter so far and the highest
    /// sequence they need. False once closed with nobody left waiting.
    /// </summary>
    public bool TakeAll(out IReadOnlyList<Waiter> waiters, out ulong highestSequence)
    {
        lock (_gate)
        {
            while (_waiting.Count == 0 && !_closed) Monitor.Wait(_gate);
            (_taken, _waiting) = (_waiting, _taken);
            _waiting.Clear();
            highestSequence = _highestSequence;
            _highestSequence = 0;
            waiters = _taken;
            return _taken.Count > 0;
        }
    }

    /// <summary>Refuses new waiters and wakes the group-commit thread so it serves the last ones and stops.</summary>
    public void Close()
    {
        lock (_gate)
        {
            _closed = true;
            Monitor.PulseAll(_gate);
        }
    }

    private void Return(Waiter waiter)
    {
        lock (_gate) _free.Push(waiter);
    }

    /// <summary>One waiting caller.</summary>
    internal sealed class Waiter(DurabilityWaiters owner) : IValueTaskSource
    {
        // Continuations run on the thread pool: the group-commit thread goes straight back to the disk.
        private ManualResetValueTaskSourceCore<bool> _core = new() { RunContinuationsAsynchronously = true };

        public ValueTask Task => new(this, _core.Version);

        /// <summary>Releases the caller: its writes are durable (<paramref name="error"/> null) or failed.</summary>
        public void Complete(Exception? error)
        {
            if (error == null) _core.SetResult(true);
            else _core.SetException(error);
        }

        public void GetResult(short token)
        {
            try
            {
                _core.GetResult(token);
            }
            finally
            {
                _core.Reset();
                owner.Return(this);
            }
        }

        public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

        public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
            _core.OnCompleted(continuation, state, token, flags);
    }
}

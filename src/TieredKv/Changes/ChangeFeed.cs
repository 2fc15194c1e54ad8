using Microsoft.Extensions.Logging;

namespace TieredKv.Changes;

/// <summary>
/// The ordered feed of what each write operation changed (<see cref="TieredKvStore.Changes"/>).
/// Changes are raised synchronously on the writing thread right after the write batch commits, while
/// the key's lock is still held, so one key's changes arrive in commit order. A handler must be short
/// and must not call back into the store. With no subscriber, a write does no work for the feed.
/// </summary>
public sealed class ChangeFeed
{
    private readonly Lock _lock = new();
    private readonly ILogger _logger;
    private volatile Action<KeyspaceChange>[] _handlers = [];

    internal ChangeFeed(ILogger logger) => _logger = logger;

    /// <summary>Calls <paramref name="handler"/> with every change from now on, until the returned subscription is disposed.</summary>
    public IDisposable Subscribe(Action<KeyspaceChange> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        lock (_lock) _handlers = [.. _handlers, handler];
        return new Subscription(this, handler);
    }

    /// <summary>Whether anybody listens: operations check it before preparing a change.</summary>
    internal bool Active => _handlers.Length != 0;

    /// <summary>Hands one change to every subscriber; the key is copied only when someone listens.</summary>
    internal void Raise(int database, ReadOnlySpan<byte> key, string eventName, KeyEventClass eventClass)
    {
        var handlers = _handlers;
        if (handlers.Length == 0) return;
        var change = new KeyspaceChange(database, key.ToArray(), eventName, eventClass);
        foreach (var handler in handlers)
        {
            try
            {
                handler(change);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // The write has committed: a failing consumer must not turn it into an error.
                _logger.LogError(e, "a change-feed subscriber failed on {Event}", eventName);
            }
        }
    }

    private void Unsubscribe(Action<KeyspaceChange> handler)
    {
        lock (_lock)
        {
            int at = Array.IndexOf(_handlers, handler);
            if (at >= 0) _handlers = [.. _handlers[..at], .. _handlers[(at + 1)..]];
        }
    }

    private sealed class Subscription(ChangeFeed feed, Action<KeyspaceChange> handler) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) feed.Unsubscribe(handler);
        }
    }
}

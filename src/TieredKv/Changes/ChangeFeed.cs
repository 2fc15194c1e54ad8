using Microsoft.Extensions.Logging;

namespace TieredKv.Changes;

/// <summary>
/// The ordered feed of what each write operation of a store changed (the store's <c>Changes</c>).
/// Changes are raised synchronously on the writing thread right after the write batch commits, while
/// the key's lock is still held, so one key's changes arrive in commit order. A handler must be short
/// and must not call back into the store. With no subscriber (or none that wants the change's class),
/// a write allocates nothing for the feed.
/// </summary>
public sealed class ChangeFeed
{
    private readonly Lock _lock = new();
    private readonly ILogger _logger;
    private volatile Subscription[] _subscriptions = [];

    internal ChangeFeed(ILogger logger) => _logger = logger;

    /// <summary>
    /// Calls <paramref name="handler"/> with every change from now on (only those of the classes
    /// <paramref name="wants"/> accepts, when given: it is asked before the change is built), until the
    /// returned subscription is disposed.
    /// </summary>
    public IDisposable Subscribe(Action<KeyspaceChange> handler, Predicate<KeyEventClass>? wants = null)
    {
        ArgumentNullException.ThrowIfNull(handler);
        var subscription = new Subscription(this, handler, wants);
        lock (_lock) _subscriptions = [.. _subscriptions, subscription];
        return subscription;
    }

    /// <summary>Whether anybody listens: operations check it before preparing a change.</summary>
    internal bool Active => _subscriptions.Length != 0;

    /// <summary>Hands one change to every subscriber that wants it; the key is copied only then.</summary>
    internal void Raise(int database, ReadOnlySpan<byte> key, string eventName, KeyEventClass eventClass)
    {
        var subscriptions = _subscriptions;
        if (subscriptions.Length == 0) return;
        KeyspaceChange? change = null;
        foreach (var subscription in subscriptions)
        {
            if (subscription.Wants is { } wants && !wants(eventClass)) continue;
            change ??= new KeyspaceChange(database, key.ToArray(), eventName, eventClass);
            try
            {
                subscription.Handler(change.Value);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // The write has committed: a failing consumer must not turn it into an error.
                _logger.LogError(e, "a change-feed subscriber failed on {Event}", eventName);
            }
        }
    }

    private void Unsubscribe(Subscription subscription)
    {
        lock (_lock) _subscriptions = Array.FindAll(_subscriptions, s => s != subscription);
    }

    private sealed class Subscription(ChangeFeed feed, Action<KeyspaceChange> handler, Predicate<KeyEventClass>? wants) : IDisposable
    {
        private int _disposed;

        public Action<KeyspaceChange> Handler { get; } = handler;
        public Predicate<KeyEventClass>? Wants { get; } = wants;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) feed.Unsubscribe(this);
        }
    }
}

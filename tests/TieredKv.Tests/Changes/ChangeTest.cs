using System.Text;
using TieredKv.Changes;

namespace TieredKv.Tests.Changes;

/// <summary>
/// A store with a change-feed subscriber: each test runs operations and asserts the changes reported
/// since the last check, written "event key" (and "event key @db" outside database 0).
/// </summary>
public abstract class ChangeTest : IDisposable
{
    private readonly List<KeyspaceChange> _changes = [];
    private readonly IDisposable _subscription;

    protected ChangeTest()
    {
        _subscription = F.Store.Changes.Subscribe(change =>
        {
            lock (_changes) _changes.Add(change);
        });
    }

    protected StoreFixture F { get; } = new();
    protected KvDatabase Db => F.Db;

    protected static byte[] B(string s) => Encoding.UTF8.GetBytes(s);

    /// <summary>The changes reported since the last call, with their classes.</summary>
    protected List<KeyspaceChange> TakeChanges()
    {
        lock (_changes)
        {
            var taken = _changes.ToList();
            _changes.Clear();
            return taken;
        }
    }

    /// <summary>Asserts the changes reported since the last check, in order, then forgets them.</summary>
    protected void Expect(params string[] expected) =>
        Assert.Equal(expected, TakeChanges().Select(c => $"{c.Event} {Encoding.UTF8.GetString(c.Key)}{(c.Database == 0 ? "" : $" @{c.Database}")}"));

    public void Dispose()
    {
        _subscription.Dispose();
        F.Dispose();
        GC.SuppressFinalize(this);
    }
}

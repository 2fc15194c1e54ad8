using TieredKv.Keyspace;

namespace TieredKv.Tests.Keyspace;

public sealed class SharedExclusiveLockTests
{
    [Fact]
    public async Task Writer_ExcludesReaders_AndReadersShare()
    {
        var gate = new SharedExclusiveLock();
        int inside = 0, violations = 0, maxShared = 0;
        var readers = Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            for (int i = 0; i < 20_000; i++)
            {
                gate.EnterReadLock();
                int now = Interlocked.Increment(ref inside);
                if (now < 0) Interlocked.Increment(ref violations);
                int seen;
                while ((seen = Volatile.Read(ref maxShared)) < now && Interlocked.CompareExchange(ref maxShared, now, seen) != seen) { }
                Interlocked.Decrement(ref inside);
                gate.ExitReadLock();
            }
        })).ToArray();
        var writer = Task.Run(() =>
        {
            for (int i = 0; i < 500; i++)
            {
                gate.EnterWriteLock();
                // While the writer holds it, no reader is inside: mark the count negative to catch one.
                if (Interlocked.Add(ref inside, -1_000_000) != -1_000_000) Interlocked.Increment(ref violations);
                Thread.SpinWait(50);
                Interlocked.Add(ref inside, 1_000_000);
                gate.ExitWriteLock();
            }
        });
        await Task.WhenAll([.. readers, writer]);
        Assert.Equal(0, violations);
    }
}

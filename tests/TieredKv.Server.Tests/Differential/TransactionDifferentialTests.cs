using System.Text;
using TieredKv.Server.Tests.Harness;

namespace TieredKv.Server.Tests.Differential;

/// <summary>MULTI/EXEC/DISCARD/WATCH against real Redis and TieredKv, in RESP2 and RESP3.</summary>
public sealed class TransactionDifferentialTests : DifferentialTest
{
    public TransactionDifferentialTests(DifferentialFixture fixture) : base(fixture) { }

    [SkippableTheory]
    [InlineData("2")]
    [InlineData("3")]
    public void MultiExec_QueuesAndRuns(string protocol)
    {
        Setup("HELLO", protocol);
        Same("MULTI");
        Same("SET", "a", "1");
        Same("INCR", "a");
        Same("GET", "a");
        Same("GET", "nope");
        Same("EXEC");
        Same("MULTI");
        Same("EXEC");
    }

    [SkippableFact]
    public void Exec_RuntimeErrorsInArray()
    {
        Same("SET", "s", "text");
        Same("MULTI");
        Same("INCR", "s");
        Same("SET", "t", "1");
        Same("INCRBY", "t", "x");
        Same("EXEC");
        Same("GET", "t");
    }

    [SkippableFact]
    public void QueueTimeErrors_AbortExec()
    {
        Same("MULTI");
        Same("SET", "a", "1");
        Same("GET");
        Same("NOSUCHCOMMAND", "x");
        Same("EXEC");
        Same("GET", "a");
        Same("MULTI");
        Same("SHUTDOWN");
        Same("EXEC");
        Same("MULTI");
        Same("CONFIG", "BOGUS");
        Same("EXEC");
        Same("MULTI");
        Same("CONFIG", "GET");
        Same("EXEC");
        Same("MULTI");
        Same("PUBSUB", "CHANNELS", "a", "b");
        Same("SUBSCRIBE", "in-multi");
        Same("EXEC");
        Same("UNSUBSCRIBE");
    }

    [SkippableFact]
    public void StateErrors()
    {
        Same("EXEC");
        Same("DISCARD");
        Same("MULTI");
        Same("MULTI");
        Same("WATCH", "k");
        Same("SET", "k", "v");
        Same("DISCARD");
        Same("GET", "k");
        Same("WATCH");
        Same("MULTI", "extra");
        Same("UNWATCH");
    }

    [SkippableTheory]
    [InlineData("2")]
    [InlineData("3")]
    public void Watch_OtherClientWriteAborts(string protocol)
    {
        RequireRedis();
        using var other = NewConnections();
        Setup("HELLO", protocol);
        Same("SET", "w", "0");
        Same("WATCH", "w", "unrelated");
        SameOn(other, "INCR", "w");
        Same("MULTI");
        Same("SET", "w", "mine");
        Same("EXEC");
        Same("GET", "w");
        // Watches are gone after EXEC: the next transaction runs.
        Same("MULTI");
        Same("SET", "w", "mine");
        Same("EXEC");
    }

    [SkippableFact]
    public void Watch_UntouchedAndOwnWritesCommit()
    {
        RequireRedis();
        using var other = NewConnections();
        Same("WATCH", "w");
        SameOn(other, "SET", "different", "1");
        Same("SET", "w", "own write before MULTI aborts too");
        Same("MULTI");
        Same("GET", "w");
        Same("EXEC");
        Same("WATCH", "w");
        SameOn(other, "GET", "w");
        Same("MULTI");
        Same("GET", "w");
        Same("EXEC");
        Same("WATCH", "w");
        Same("UNWATCH");
        SameOn(other, "DEL", "w");
        Same("MULTI");
        Same("EXISTS", "w");
        Same("EXEC");
    }

    [SkippableFact]
    public void Watch_DeletionFlushAndExpiry()
    {
        RequireRedis();
        using var other = NewConnections();
        Same("SET", "d", "1");
        Same("WATCH", "d");
        SameOn(other, "FLUSHDB");
        Same("MULTI");
        Same("PING");
        Same("EXEC");
        // A flush of keys that do not exist does not abort.
        Same("WATCH", "absent");
        SameOn(other, "FLUSHALL");
        Same("MULTI");
        Same("PING");
        Same("EXEC");
        Same("SET", "e", "1", "PX", "20");
        Same("WATCH", "e");
        Thread.Sleep(40);
        Same("MULTI");
        Same("PING");
        Same("EXEC");
        Same("DISCARD");
    }

    [SkippableFact]
    public void Watch_InOtherDatabase_TouchedByMoveAndCopy()
    {
        RequireRedis();
        using var other = NewConnections();
        Same("SELECT", "1");
        Same("WATCH", "moved");
        SameOn(other, "SET", "moved", "v");
        SameOn(other, "MOVE", "moved", "1");
        Same("MULTI");
        Same("GET", "moved");
        Same("EXEC");
        Same("WATCH", "copied");
        SameOn(other, "SET", "src", "v");
        SameOn(other, "COPY", "src", "copied", "DB", "1");
        Same("MULTI");
        Same("GET", "copied");
        Same("EXEC");
    }

    [SkippableFact]
    public void Discard_DropsQueueAndWatches()
    {
        Same("WATCH", "x");
        Same("MULTI");
        Same("SET", "x", "1");
        Same("DISCARD");
        Same("EXISTS", "x");
        Same("MULTI");
        Same("SET", "x", "2");
        Same("EXEC");
        Same("GET", "x");
    }

    [SkippableFact]
    public void Watch_KeepsItsDatabase_AfterSelect()
    {
        RequireRedis();
        using var other = NewConnections();
        Same("SET", "w", "1");
        Same("WATCH", "w");
        Same("SELECT", "1");
        Same("SET", "w", "in-db-1"); // the same name in another database is another key
        SameOn(other, "SELECT", "1");
        SameOn(other, "SET", "w", "also-db-1");
        Same("MULTI");
        Same("GET", "w");
        Same("EXEC");
    }

    [SkippableFact]
    public void Watch_FromAnotherDatabase_IsTouchedByAWriteInItsOwn()
    {
        RequireRedis();
        using var other = NewConnections();
        Same("SET", "w", "1");
        Same("WATCH", "w");
        Same("SELECT", "1");
        SameOn(other, "SET", "w", "2"); // db 0, where the watch was made
        Same("MULTI");
        Same("GET", "w");
        Same("EXEC");
    }

    [SkippableFact]
    public void Watch_FlushOfAnotherDatabase_DoesNotAbort()
    {
        Same("SET", "w", "1");
        Same("WATCH", "w");
        Same("SELECT", "1");
        Same("SET", "w", "x");
        Same("FLUSHDB");
        Same("SELECT", "0");
        Same("MULTI");
        Same("GET", "w");
        Same("EXEC");
    }

    [SkippableFact]
    public void Watch_SetbitThatChangesNothing_DoesNotAbort()
    {
        RequireRedis();
        using var other = NewConnections();
        Same("SETBIT", "b", "1", "1");
        Same("WATCH", "b");
        SameOn(other, "SETBIT", "b", "1", "1");
        Same("MULTI");
        Same("GET", "b");
        Same("EXEC");
    }

    [SkippableFact]
    public void Watch_SortWithoutStore_DoesNotTouchTheSource()
    {
        RequireRedis();
        using var other = NewConnections();
        Same("RPUSH", "l", "2", "1");
        Same("WATCH", "l", "dst");
        SameOn(other, "SORT", "l");
        Same("MULTI");
        Same("LLEN", "l");
        Same("EXEC");
        Same("WATCH", "dst");
        SameOn(other, "SORT", "l", "STORE", "dst");
        Same("MULTI");
        Same("LLEN", "dst");
        Same("EXEC");
    }
}

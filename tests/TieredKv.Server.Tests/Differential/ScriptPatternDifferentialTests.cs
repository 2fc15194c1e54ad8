using TieredKv.Server.Tests.Harness;

namespace TieredKv.Server.Tests.Differential;

/// <summary>
/// Scripts in the shapes real libraries run (a token-bucket rate limiter, a reliable queue's move to active as
/// BullMQ-style job queues do it), unchanged against real Redis and ours, replies and resulting state compared.
/// </summary>
public sealed class ScriptPatternDifferentialTests(DifferentialFixture fixture) : DifferentialTest(fixture)
{
    /// <summary>A token bucket kept in a hash: refill by elapsed time (passed in, not read from the clock), take one if any, expire when idle.</summary>
    private const string TokenBucket = """
        local capacity = tonumber(ARGV[1])
        local refill_per_ms = tonumber(ARGV[2])
        local now = tonumber(ARGV[3])
        local state = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
        local tokens = tonumber(state[1]) or capacity
        local ts = tonumber(state[2]) or now
        tokens = math.min(capacity, tokens + (now - ts) * refill_per_ms)
        local allowed = 0
        if tokens >= 1 then
          tokens = tokens - 1
          allowed = 1
        end
        redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'ts', tostring(now))
        redis.call('PEXPIRE', KEYS[1], math.ceil(capacity / refill_per_ms))
        return {allowed, tostring(tokens)}
        """;

    /// <summary>A job queue's move to active: pop the next waiting id, mark the job active with its lock and start time, and announce it.</summary>
    private const string MoveToActive = """
        local id = redis.call('RPOPLPUSH', KEYS[1], KEYS[2])
        if not id then return nil end
        local job = KEYS[3] .. id
        redis.call('HSET', job, 'processedOn', ARGV[2], 'lock', ARGV[1])
        redis.call('HINCRBY', job, 'attemptsMade', 1)
        redis.call('SET', job .. ':lock', ARGV[1], 'PX', ARGV[3])
        redis.call('ZADD', KEYS[4], ARGV[2], id)
        redis.call('PUBLISH', KEYS[5], id)
        return {id, redis.call('HMGET', job, 'data', 'processedOn', 'lock', 'attemptsMade')}
        """;

    [SkippableFact]
    public void TokenBucket_AllowsUpToCapacity_ThenRefillsWithTime()
    {
        foreach (var now in new[] { "1000", "1000", "1000", "1000", "1500", "1500", "4000" })
            Same("EVAL", TokenBucket, "1", "bucket:user1", "3", "0.002", now);
        Same("HGETALL", "bucket:user1");
        Same("PERSIST", "bucket:user1"); // it had an expiry: 1 on both (its exact PTTL depends on each run's timing)
    }

    [SkippableFact]
    public void QueueMoveToActive_MovesJobsInOrder_AndAnswersNilWhenEmpty()
    {
        Same("LPUSH", "q:wait", "1", "2");
        Same("HSET", "q:job:1", "data", "{\"a\":1}");
        Same("HSET", "q:job:2", "data", "{\"b\":2}");
        for (int i = 0; i < 3; i++)
            Same("EVAL", MoveToActive, "5", "q:wait", "q:active", "q:job:", "q:started", "q:events", "token-" + i, "170000000000" + i, "30000");
        Same("LRANGE", "q:active", "0", "-1");
        Same("ZRANGE", "q:started", "0", "-1", "WITHSCORES");
        SameUnordered("HGETALL", "q:job:1"); // field order is each server's own (insertion order in Redis's listpack)
        Same("GET", "q:job:2:lock");
    }
}

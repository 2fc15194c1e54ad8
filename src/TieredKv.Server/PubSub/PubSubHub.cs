using System.Text;
using TieredKv.Keyspace;
using TieredKv.Server.Protocol;

namespace TieredKv.Server.PubSub;

/// <summary>
/// Server-wide map of channels and patterns to the clients subscribed to them; PUBLISH reads it,
/// (P)SUBSCRIBE and (P)UNSUBSCRIBE change it. Thread-safe: one lock, held only to read or change
/// the maps, never while delivering.
/// </summary>
/// <remarks>Names are kept as Latin-1 strings: a lossless byte-to-char mapping that gives content equality and hashing for free.</remarks>
internal sealed class PubSubHub
{
    private readonly object _lock = new();
    private readonly Dictionary<string, HashSet<ISubscriber>> _channels = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<ISubscriber>> _patterns = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<ISubscriber>> _shardChannels = new(StringComparer.Ordinal);

    public static string Name(ReadOnlySpan<byte> bytes) => Encoding.Latin1.GetString(bytes);

    public static byte[] Bytes(string name) => Encoding.Latin1.GetBytes(name);

    /// <summary>Adds the session to a channel (or pattern); false when it already was.</summary>
    public bool Subscribe(ISubscriber session, string name, bool pattern) =>
        Subscribe(session, name, pattern ? SubscriptionKind.Pattern : SubscriptionKind.Channel);

    /// <summary>Removes the session from a channel (or pattern); false when it was not subscribed.</summary>
    public bool Unsubscribe(ISubscriber session, string name, bool pattern) =>
        Unsubscribe(session, name, pattern ? SubscriptionKind.Pattern : SubscriptionKind.Channel);

    private static HashSet<string> SetOf(ISubscriber session, SubscriptionKind kind) => kind switch
    {
        SubscriptionKind.Pattern => session.Patterns,
        SubscriptionKind.Shard => session.ShardChannels,
        _ => session.Channels,
    };

    private Dictionary<string, HashSet<ISubscriber>> MapOf(SubscriptionKind kind) => kind switch
    {
        SubscriptionKind.Pattern => _patterns,
        SubscriptionKind.Shard => _shardChannels,
        _ => _channels,
    };

    /// <summary>Adds the session to a channel, pattern or shard channel; false when it already was.</summary>
    public bool Subscribe(ISubscriber session, string name, SubscriptionKind kind)
    {
        if (!SetOf(session, kind).Add(name)) return false;
        lock (_lock)
        {
            var map = MapOf(kind);
            if (!map.TryGetValue(name, out var subscribers)) map[name] = subscribers = [];
            subscribers.Add(session);
        }
        return true;
    }

    /// <summary>Removes the session from a channel, pattern or shard channel; false when it was not subscribed.</summary>
    public bool Unsubscribe(ISubscriber session, string name, SubscriptionKind kind)
    {
        if (!SetOf(session, kind).Remove(name)) return false;
        lock (_lock)
        {
            var map = MapOf(kind);
            if (map.TryGetValue(name, out var subscribers) && subscribers.Remove(session) && subscribers.Count == 0) map.Remove(name);
        }
        return true;
    }

    /// <summary>Drops every subscription of a closing or reset session.</summary>
    public void RemoveAll(ISubscriber session)
    {
        foreach (var name in session.Channels.ToList()) Unsubscribe(session, name, pattern: false);
        foreach (var name in session.Patterns.ToList()) Unsubscribe(session, name, pattern: true);
        foreach (var name in session.ShardChannels.ToList()) Unsubscribe(session, name, SubscriptionKind.Shard);
    }

    /// <summary>
    /// Delivers a message to channel subscribers, then to pattern subscribers (as Redis orders them),
    /// and returns how many deliveries were made. The publisher's own copies go straight into its
    /// reply, before the PUBLISH reply, as Redis writes them; others go to their outboxes.
    /// </summary>
    public long Publish(byte[] channel, byte[] message, ISubscriber? publisher, RespWriter? publisherReply)
    {
        string name = Name(channel);
        ISubscriber[] direct;
        List<(byte[] Pattern, ISubscriber Session)> matched = [];
        lock (_lock)
        {
            direct = _channels.TryGetValue(name, out var subscribers) ? [.. subscribers] : [];
            foreach (var (pattern, sessions) in _patterns)
            {
                var patternBytes = Bytes(pattern);
                if (!GlobPattern.Match(patternBytes, channel)) continue;
                foreach (var s in sessions) matched.Add((patternBytes, s));
            }
        }
        var frames = new MessageFrames("message"u8.ToArray(), channel, message, null);
        foreach (var s in direct) Deliver(s, frames, publisher, publisherReply);
        foreach (var (pattern, s) in matched) Deliver(s, new MessageFrames("pmessage"u8.ToArray(), channel, message, pattern), publisher, publisherReply);
        return direct.Length + matched.Count;
    }

    /// <summary>SPUBLISH: delivers an <c>smessage</c> to the shard channel's subscribers (patterns never match shard channels).</summary>
    public long PublishShard(byte[] channel, byte[] message, ISubscriber? publisher, RespWriter? publisherReply)
    {
        ISubscriber[] subscribers;
        lock (_lock) subscribers = _shardChannels.TryGetValue(Name(channel), out var set) ? [.. set] : [];
        var frames = new MessageFrames("smessage"u8.ToArray(), channel, message, null);
        foreach (var s in subscribers) Deliver(s, frames, publisher, publisherReply);
        return subscribers.Length;
    }

    /// <summary>
    /// Sends <paramref name="frame"/> (one encoding per protocol) to <paramref name="target"/>: client-side caching's
    /// invalidation messages, which go out as messages do.
    /// </summary>
    public static void Send(ISubscriber target, byte[] frame, ISubscriber? writer, RespWriter? writerReply)
    {
        if (writerReply != null && ReferenceEquals(target, writer)) writerReply.WriteRaw(frame);
        else target.Deliver(frame);
    }

    /// <summary>Channels with at least one subscriber, optionally matching a glob pattern.</summary>
    public List<byte[]> ActiveChannels(byte[]? pattern) => ActiveChannels(pattern, SubscriptionKind.Channel);

    /// <summary>Channels (or shard channels) with at least one subscriber, optionally matching a glob pattern.</summary>
    public List<byte[]> ActiveChannels(byte[]? pattern, SubscriptionKind kind)
    {
        lock (_lock)
            return MapOf(kind).Keys.Select(Bytes).Where(c => pattern == null || GlobPattern.Match(pattern, c)).ToList();
    }

    public int SubscriberCount(ReadOnlySpan<byte> channel) => SubscriberCount(channel, SubscriptionKind.Channel);

    public int SubscriberCount(ReadOnlySpan<byte> channel, SubscriptionKind kind)
    {
        lock (_lock) return MapOf(kind).TryGetValue(Name(channel), out var s) ? s.Count : 0;
    }

    /// <summary>Whether <paramref name="session"/> is subscribed to <paramref name="channel"/>: asked from other clients' threads, so read from the hub's map.</summary>
    public bool IsSubscribed(ISubscriber session, string channel)
    {
        lock (_lock) return _channels.TryGetValue(channel, out var s) && s.Contains(session);
    }

    public int PatternCount
    {
        get { lock (_lock) return _patterns.Count; }
    }

    private static void Deliver(ISubscriber target, MessageFrames frames, ISubscriber? publisher, RespWriter? publisherReply)
    {
        int protocol = target.Protocol;
        if (publisherReply != null && ReferenceEquals(target, publisher)) publisherReply.WriteRaw(frames.For(protocol));
        else target.Deliver(frames.For(protocol));
    }

    /// <summary>One message (<paramref name="kind"/>: message, pmessage or smessage) encoded once per protocol, lazily: RESP2 arrays or RESP3 pushes.</summary>
    private sealed class MessageFrames(byte[] kind, byte[] channel, byte[] message, byte[]? pattern)
    {
        private byte[]? _resp2;
        private byte[]? _resp3;

        public byte[] For(int protocol) => protocol == 3 ? _resp3 ??= Encode(3) : _resp2 ??= Encode(2);

        private byte[] Encode(int protocol)
        {
            var buffer = new System.Buffers.ArrayBufferWriter<byte>(channel.Length + message.Length + 64);
            var w = new RespWriter(buffer) { Protocol = protocol };
            w.WritePushHeader(pattern == null ? 3 : 4);
            w.WriteBulk(kind);
            if (pattern != null) w.WriteBulk(pattern);
            w.WriteBulk(channel);
            w.WriteBulk(message);
            return buffer.WrittenSpan.ToArray();
        }
    }
}

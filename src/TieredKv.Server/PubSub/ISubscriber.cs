namespace TieredKv.Server.PubSub;

/// <summary>A client as pub/sub sees it: the channels and patterns it is subscribed to, its protocol, and where its messages go.</summary>
internal interface ISubscriber
{
    /// <summary>Channels this client is subscribed to (Latin-1 names; see <see cref="PubSubHub"/>).</summary>
    HashSet<string> Channels { get; }

    HashSet<string> Patterns { get; }

    /// <summary>Shard channels (SSUBSCRIBE): a namespace of their own, as in Redis 7.</summary>
    HashSet<string> ShardChannels { get; }

    /// <summary>2 or 3: the form of its message frames (arrays or pushes).</summary>
    int Protocol { get; }

    /// <summary>Queues an encoded message frame for the client, from the publisher's thread (dropped when over the output limit).</summary>
    void Deliver(byte[] frame);
}

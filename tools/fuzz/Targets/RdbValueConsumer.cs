using TieredKv.Rdb;
using TieredKv.Rdb.Streams;

namespace TieredKv.Fuzz.Targets;

/// <summary>Reads an RDB value to its end as an importer would, counting the bytes it yields for the allocation budget.</summary>
internal static class RdbValueConsumer
{
    /// <summary>An element's arrays and the iterator machinery around them cost about this much beyond their bytes.</summary>
    private const int ElementOverhead = 96;

    /// <returns>The bytes produced, with a fixed overhead per element.</returns>
    public static long Consume(RdbValue value)
    {
        if (value.IsStream) return ConsumeStream(value.Stream());
        if (value.Type == TieredKv.Keyspace.KeyType.String) return value.StringValue().Length + ElementOverhead;
        long produced = 0;
        foreach (var element in value.Elements())
            produced += element.Member.Length + (element.Value?.Length ?? 0) + ElementOverhead;
        return produced;
    }

    /// <summary>Every entry, then the groups with their pending entries and consumers.</summary>
    private static long ConsumeStream(RdbStream stream)
    {
        long produced = 0;
        foreach (var entry in stream.Entries())
        {
            produced += ElementOverhead;
            foreach (var (field, value) in entry.Fields) produced += field.Length + value.Length + ElementOverhead;
        }
        produced += stream.Metadata.Length > 0 ? ElementOverhead : 0;
        foreach (var group in stream.Groups)
        {
            produced += group.Name.Length + ElementOverhead + (long)group.Pending.Count * ElementOverhead;
            foreach (var consumer in group.Consumers) produced += consumer.Name.Length + ElementOverhead;
        }
        return produced;
    }
}

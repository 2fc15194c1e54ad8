using System.Collections.Immutable;
using TieredKv.Server.Dispatch;
using TieredKv.Server.Protocol;

namespace TieredKv.Server.Dispatch.Metadata;

/// <summary>
/// COMMAND INFO and COMMAND DOCS replies of our commands in Redis 7.0's shapes (RESP3 sets and maps, downgraded to
/// arrays in RESP2 as Redis does): Redis's data from <see cref="CommandMetadataCatalog"/>, except what our spec
/// decides: the name, arity and legacy key positions are our spec's (they are what our dispatcher enforces and a
/// test holds them to Redis's), and only the subcommands we have are listed.
/// </summary>
internal static class CommandMetadataWriter
{
    /// <summary>Redis's metadata of a command we have, or a generated one for a command Redis does not have.</summary>
    public static CommandMetadata Describe(CommandSpec spec) => CommandMetadataCatalog.Redis.Find(spec.Name) ?? OwnCommandMetadata.For(spec);

    public static void WriteInfo(RespWriter r, CommandSpec spec)
    {
        var meta = Describe(spec);
        r.WriteArrayHeader(10);
        r.WriteBulk(spec.Name);
        r.WriteInteger(spec.Arity);
        WriteStatusSet(r, meta.Flags);
        r.WriteInteger(spec.FirstKey);
        r.WriteInteger(spec.LastKey);
        r.WriteInteger(spec.Step);
        WriteStatusSet(r, meta.AclCategories);
        r.WriteSetHeader(meta.Tips.Length);
        foreach (var tip in meta.Tips) r.WriteBulk(tip);
        r.WriteSetHeader(meta.KeySpecs.Length);
        foreach (var keySpec in meta.KeySpecs) WriteKeySpec(r, keySpec);
        var subs = spec.Subcommands?.Values.ToList() ?? [];
        // Redis: an empty set when there are none, an array otherwise.
        if (subs.Count == 0) r.WriteSetHeader(0);
        else r.WriteArrayHeader(subs.Count);
        foreach (var sub in subs) WriteInfo(r, sub);
    }

    /// <summary>The value of one command's entry in the COMMAND DOCS map (the caller writes its name).</summary>
    public static void WriteDocs(RespWriter r, CommandSpec spec)
    {
        var docs = Describe(spec).Docs;
        var subs = spec.Subcommands?.Values.ToList() ?? [];
        int fields = 1 + Count(docs.Summary) + Count(docs.Since) + Count(docs.Complexity) + Count(docs.DocFlags) + Count(docs.DeprecatedSince)
            + Count(docs.ReplacedBy) + (docs.History.IsEmpty ? 0 : 1) + Count(docs.Arguments) + (subs.Count > 0 ? 1 : 0);
        r.WriteMapHeader(fields);
        BulkField(r, "summary", docs.Summary);
        BulkField(r, "since", docs.Since);
        BulkField(r, "group", docs.Group);
        BulkField(r, "complexity", docs.Complexity);
        StatusSetField(r, "doc_flags", docs.DocFlags);
        BulkField(r, "deprecated_since", docs.DeprecatedSince);
        BulkField(r, "replaced_by", docs.ReplacedBy);
        if (!docs.History.IsEmpty)
        {
            r.WriteBulk("history");
            r.WriteSetHeader(docs.History.Length);
            foreach (var entry in docs.History)
            {
                r.WriteArrayHeader(2);
                r.WriteBulk(entry.Version);
                r.WriteBulk(entry.Change);
            }
        }
        if (!docs.Arguments.IsEmpty) ArgumentsField(r, docs.Arguments);
        if (subs.Count > 0)
        {
            r.WriteBulk("subcommands");
            r.WriteMapHeader(subs.Count);
            foreach (var sub in subs)
            {
                r.WriteBulk(sub.Name);
                WriteDocs(r, sub);
            }
        }
    }

    private static void WriteKeySpec(RespWriter r, KeySpec spec)
    {
        r.WriteMapHeader(spec.Notes == null ? 3 : 4);
        BulkField(r, "notes", spec.Notes);
        StatusSetField(r, "flags", spec.Flags, evenWhenEmpty: true);
        r.WriteBulk("begin_search");
        r.WriteMapHeader(2);
        BulkField(r, "type", spec.BeginSearch.Type);
        r.WriteBulk("spec");
        switch (spec.BeginSearch.Type)
        {
            case "index":
                r.WriteMapHeader(1);
                IntegerField(r, "index", spec.BeginSearch.Index);
                break;
            case "keyword":
                r.WriteMapHeader(2);
                BulkField(r, "keyword", spec.BeginSearch.Keyword);
                IntegerField(r, "startfrom", spec.BeginSearch.StartFrom);
                break;
            default:
                r.WriteMapHeader(0);
                break;
        }
        r.WriteBulk("find_keys");
        r.WriteMapHeader(2);
        BulkField(r, "type", spec.FindKeys.Type);
        r.WriteBulk("spec");
        switch (spec.FindKeys.Type)
        {
            case "range":
                r.WriteMapHeader(3);
                IntegerField(r, "lastkey", spec.FindKeys.LastKey);
                IntegerField(r, "keystep", spec.FindKeys.KeyStep);
                IntegerField(r, "limit", spec.FindKeys.Limit);
                break;
            case "keynum":
                r.WriteMapHeader(3);
                IntegerField(r, "keynumidx", spec.FindKeys.KeyNumIndex);
                IntegerField(r, "firstkey", spec.FindKeys.FirstKey);
                IntegerField(r, "keystep", spec.FindKeys.KeyStep);
                break;
            default:
                r.WriteMapHeader(0);
                break;
        }
    }

    private static void ArgumentsField(RespWriter r, ImmutableArray<DocArgument> arguments)
    {
        r.WriteBulk("arguments");
        r.WriteArrayHeader(arguments.Length);
        foreach (var arg in arguments)
        {
            int fields = 2 + (arg.KeySpecIndex >= 0 ? 1 : 0) + Count(arg.Token) + Count(arg.Summary) + Count(arg.Since) + Count(arg.DeprecatedSince)
                + Count(arg.Flags) + (arg.HasArguments ? 1 : 0);
            r.WriteMapHeader(fields);
            BulkField(r, "name", arg.Name);
            BulkField(r, "type", arg.Type);
            if (arg.KeySpecIndex >= 0) IntegerField(r, "key_spec_index", arg.KeySpecIndex);
            BulkField(r, "token", arg.Token);
            BulkField(r, "summary", arg.Summary);
            BulkField(r, "since", arg.Since);
            BulkField(r, "deprecated_since", arg.DeprecatedSince);
            StatusSetField(r, "flags", arg.Flags);
            if (arg.HasArguments) ArgumentsField(r, arg.Arguments);
        }
    }

    private static int Count(string? field) => field == null ? 0 : 1;

    private static int Count<T>(ImmutableArray<T> field) => field.IsEmpty ? 0 : 1;

    private static void BulkField(RespWriter r, string name, string? value)
    {
        if (value == null) return;
        r.WriteBulk(name);
        r.WriteBulk(value);
    }

    private static void IntegerField(RespWriter r, string name, long value)
    {
        r.WriteBulk(name);
        r.WriteInteger(value);
    }

    private static void StatusSetField(RespWriter r, string name, ImmutableArray<string> values, bool evenWhenEmpty = false)
    {
        if (values.IsEmpty && !evenWhenEmpty) return;
        r.WriteBulk(name);
        WriteStatusSet(r, values);
    }

    private static void WriteStatusSet(RespWriter r, ImmutableArray<string> values)
    {
        r.WriteSetHeader(values.Length);
        foreach (var value in values) r.WriteSimpleString(value);
    }
}

using System.Collections.Immutable;
using System.Text.Json;

namespace TieredKv.Server.Dispatch.Metadata;

/// <summary>
/// Redis's COMMAND INFO and COMMAND DOCS of every command, read once from the embedded commands.json (written by
/// tools/command-metadata/generate.py from a real redis-server). Immutable: one instance serves every server.
/// </summary>
internal sealed class CommandMetadataCatalog
{
    private const string ResourceName = "TieredKv.Server.Dispatch.Metadata.commands.json";

    private readonly ImmutableDictionary<string, CommandMetadata> _byName;
    private readonly ImmutableDictionary<string, int> _keyCountIndex;

    private CommandMetadataCatalog(string redisVersion, ImmutableArray<CommandMetadata> commands)
    {
        RedisVersion = redisVersion;
        Commands = commands;
        var byName = ImmutableDictionary.CreateBuilder<string, CommandMetadata>(StringComparer.OrdinalIgnoreCase);
        foreach (var command in commands)
        {
            byName.Add(command.Name, command);
            foreach (var sub in command.Subcommands) byName.Add(sub.Name, sub);
        }
        _byName = byName.ToImmutable();
        _keyCountIndex = _byName.Values
            .Select(c => (c.Name, Index: c.KeySpecs.Where(IsCountedKeys).Select(k => k.BeginSearch.Index + k.FindKeys.KeyNumIndex).FirstOrDefault()))
            .Where(c => c.Index > 0)
            .ToImmutableDictionary(c => c.Name, c => c.Index, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>A "keynum" key spec of the usual shape: a count at a fixed index, the keys right after it.</summary>
    private static bool IsCountedKeys(KeySpec k) =>
        k.BeginSearch.Type == "index" && k.FindKeys.Type == "keynum" && k.FindKeys.FirstKey == 1 && k.FindKeys.KeyStep == 1;

    /// <summary>The catalog embedded in this assembly.</summary>
    public static CommandMetadataCatalog Redis { get; } = LoadEmbedded();

    /// <summary>The version of the redis-server the data was read from.</summary>
    public string RedisVersion { get; }

    /// <summary>Every top-level command, with its subcommands.</summary>
    public ImmutableArray<CommandMetadata> Commands { get; }

    /// <summary>A command by name, or a subcommand by its full "container|sub" name; null when Redis has no such command.</summary>
    public CommandMetadata? Find(string name) => _byName.GetValueOrDefault(name);

    /// <summary>
    /// Where the command's key count is (ZUNIONSTORE dest numkeys key…: 2), for the commands whose keys follow a
    /// count (a "keynum" key spec); 0 for the others.
    /// </summary>
    public int KeyCountIndex(string name) => _keyCountIndex.GetValueOrDefault(name);

    private static CommandMetadataCatalog LoadEmbedded()
    {
        using var stream = typeof(CommandMetadataCatalog).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"embedded resource {ResourceName} is missing");
        return Parse(stream);
    }

    public static CommandMetadataCatalog Parse(Stream json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        return new CommandMetadataCatalog(
            root.GetProperty("redis_version").GetString()!,
            [.. root.GetProperty("commands").EnumerateArray().Select(ReadCommand)]);
    }

    private static CommandMetadata ReadCommand(JsonElement e) => new(
        e.GetProperty("name").GetString()!,
        e.GetProperty("arity").GetInt32(),
        Strings(e, "flags"),
        e.GetProperty("first_key").GetInt32(),
        e.GetProperty("last_key").GetInt32(),
        e.GetProperty("step").GetInt32(),
        Strings(e, "acl_categories"),
        Strings(e, "tips"),
        [.. e.GetProperty("key_specs").EnumerateArray().Select(ReadKeySpec)],
        ReadDocs(e.GetProperty("docs")),
        [.. e.GetProperty("subcommands").EnumerateArray().Select(ReadCommand)]);

    private static KeySpec ReadKeySpec(JsonElement e)
    {
        var begin = e.GetProperty("begin_search");
        var beginSpec = begin.GetProperty("spec");
        var find = e.GetProperty("find_keys");
        var findSpec = find.GetProperty("spec");
        return new KeySpec(
            Text(e, "notes"),
            Strings(e, "flags"),
            new KeySpecBeginSearch(begin.GetProperty("type").GetString()!, Number(beginSpec, "index"), Text(beginSpec, "keyword"), Number(beginSpec, "startfrom")),
            new KeySpecFindKeys(find.GetProperty("type").GetString()!, Number(findSpec, "lastkey"), Number(findSpec, "keystep"), Number(findSpec, "limit"),
                Number(findSpec, "keynumidx"), Number(findSpec, "firstkey")));
    }

    private static CommandDocs ReadDocs(JsonElement e) => new(
        Text(e, "summary"),
        Text(e, "since"),
        e.GetProperty("group").GetString()!,
        Text(e, "complexity"),
        Strings(e, "doc_flags"),
        Text(e, "deprecated_since"),
        Text(e, "replaced_by"),
        e.TryGetProperty("history", out var history)
            ? [.. history.EnumerateArray().Select(h => new CommandHistoryEntry(h[0].GetString()!, h[1].GetString()!))]
            : [],
        Arguments(e));

    private static DocArgument ReadArgument(JsonElement e) => new(
        e.GetProperty("name").GetString()!,
        e.GetProperty("type").GetString()!,
        e.TryGetProperty("key_spec_index", out var index) ? index.GetInt32() : -1,
        Text(e, "token"),
        Text(e, "summary"),
        Text(e, "since"),
        Text(e, "deprecated_since"),
        Strings(e, "flags"),
        Arguments(e));

    private static ImmutableArray<DocArgument> Arguments(JsonElement e) =>
        e.TryGetProperty("arguments", out var args) ? [.. args.EnumerateArray().Select(ReadArgument)] : [];

    private static ImmutableArray<string> Strings(JsonElement e, string name) =>
        e.TryGetProperty(name, out var array) ? [.. array.EnumerateArray().Select(s => s.GetString()!)] : [];

    private static string? Text(JsonElement e, string name) => e.TryGetProperty(name, out var s) ? s.GetString() : null;

    private static int Number(JsonElement e, string name) => e.TryGetProperty(name, out var n) ? n.GetInt32() : 0;
}

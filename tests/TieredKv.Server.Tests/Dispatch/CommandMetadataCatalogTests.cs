using TieredKv.Server.Commands;
using TieredKv.Server.Dispatch.Metadata;
using TieredKv.Server.Dispatch;

namespace TieredKv.Server.Tests.Dispatch;

/// <summary>The embedded Redis command metadata, and our command table held to it (no redis-server needed).</summary>
public sealed class CommandMetadataCatalogTests
{
    private static readonly CommandTable Table = new(CommandGroups.Register);

    private static IEnumerable<CommandSpec> EverySpec() =>
        Table.All.SelectMany(spec => new[] { spec }.Concat(spec.Subcommands?.Values ?? []));

    [Fact]
    public void Catalog_IsFromTheRedisVersionWeFollow()
    {
        Assert.Equal(ServerCommands.CompatibleVersion, CommandMetadataCatalog.Redis.RedisVersion);
        Assert.True(CommandMetadataCatalog.Redis.Commands.Length > 200);
    }

    [Fact]
    public void Catalog_FindsSubcommandsByFullName()
    {
        var get = CommandMetadataCatalog.Redis.Find("CONFIG|GET");
        Assert.NotNull(get);
        Assert.Equal("config|get", get.Name);
        Assert.Contains(CommandMetadataCatalog.Redis.Find("config")!.Subcommands, s => s.Name == "config|get");
        Assert.Null(CommandMetadataCatalog.Redis.Find("object|tier"));
    }

    [Fact]
    public void EveryCommandRedisHas_HasRedisArityAndKeyPositions()
    {
        var differences = EverySpec()
            .Select(spec => (spec, meta: CommandMetadataCatalog.Redis.Find(spec.Name)))
            .Where(p => p.meta != null && (p.spec.Arity, p.spec.FirstKey, p.spec.LastKey, p.spec.Step) != (p.meta.Arity, p.meta.FirstKey, p.meta.LastKey, p.meta.Step))
            .Select(p => $"{p.spec.Name}: ours ({p.spec.Arity}, {p.spec.FirstKey}, {p.spec.LastKey}, {p.spec.Step}), redis ({p.meta!.Arity}, {p.meta.FirstKey}, {p.meta.LastKey}, {p.meta.Step})")
            .ToList();
        Assert.True(differences.Count == 0, string.Join("\n", differences));
    }

    private static readonly (CommandFlags Flag, string Name)[] NamedFlags =
    [
        (CommandFlags.Write, "write"), (CommandFlags.ReadOnly, "readonly"), (CommandFlags.Admin, "admin"), (CommandFlags.PubSub, "pubsub"),
        (CommandFlags.NoAuth, "no_auth"), (CommandFlags.NoMulti, "no_multi"), (CommandFlags.Fast, "fast"),
    ];

    /// <summary>Our flags drive dispatch (WATCH on writes, MULTI refusals, AUTH, latency events): each must agree with Redis's flag of the same name.</summary>
    [Fact]
    public void EveryCommandRedisHas_HasOurFlagsExactlyWhereRedisHasThem()
    {
        var differences = new List<string>();
        foreach (var spec in EverySpec().Where(s => s.Subcommands == null))
        {
            if (CommandMetadataCatalog.Redis.Find(spec.Name) is not { } meta) continue;
            foreach (var (flag, name) in NamedFlags)
                if (spec.Flags.HasFlag(flag) != meta.Flags.Contains(name)) differences.Add($"{spec.Name}: {name} ours {spec.Flags.HasFlag(flag)}, redis {meta.Flags.Contains(name)}");
        }
        Assert.True(differences.Count == 0, string.Join("\n", differences));
    }

    /// <summary>
    /// Redis flags a container (CONFIG, OBJECT …) with nothing and each subcommand with its own flags; our dispatcher
    /// checks a container's flags before it picks the subcommand (MONITOR feeding, a monitor's keyspace refusal),
    /// so ours carry their subcommands' flags: each must be one some Redis subcommand has. COMMAND INFO shows Redis's.
    /// </summary>
    [Fact]
    public void Containers_HaveOnlyFlagsTheirSubcommandsHave()
    {
        var differences = new List<string>();
        foreach (var spec in Table.All.Where(s => s.Subcommands != null))
        {
            if (CommandMetadataCatalog.Redis.Find(spec.Name) is not { } meta) continue;
            foreach (var (flag, name) in NamedFlags)
                if (spec.Flags.HasFlag(flag) && !meta.Subcommands.Any(sub => sub.Flags.Contains(name))) differences.Add($"{spec.Name}: {name}");
        }
        Assert.True(differences.Count == 0, string.Join("\n", differences));
    }

    [Fact]
    public void OwnCommands_GetGeneratedMetadata_FromTheirSpec()
    {
        Assert.True(Table.TryGet("object", out var obj));
        var tier = CommandMetadataWriter.Describe(obj!.Subcommands!["tier"]);
        Assert.Equal("object|tier", tier.Name);
        Assert.Contains("storage tier", tier.Docs.Summary, StringComparison.Ordinal);
        var keySpec = Assert.Single(tier.KeySpecs);
        Assert.Equal(("index", 2, "range", 0, 1), (keySpec.BeginSearch.Type, keySpec.BeginSearch.Index, keySpec.FindKeys.Type, keySpec.FindKeys.LastKey, keySpec.FindKeys.KeyStep));
    }

    [Fact]
    public void CommandKeys_ChannelsAreNoKeys()
    {
        Assert.True(Table.TryGet("spublish", out var spublish));
        Assert.False(CommandKeys.HasKeys(spublish!));
        Assert.True(Table.TryGet("get", out var get));
        Assert.True(CommandKeys.HasKeys(get!));
    }

    [Fact]
    public void Catalog_FindsKeyCountIndexesInKeySpecs()
    {
        Assert.Equal((2, 1, 2, 0), (CommandMetadataCatalog.Redis.KeyCountIndex("zunionstore"), CommandMetadataCatalog.Redis.KeyCountIndex("zunion"),
            CommandMetadataCatalog.Redis.KeyCountIndex("blmpop"), CommandMetadataCatalog.Redis.KeyCountIndex("get")));
    }
}

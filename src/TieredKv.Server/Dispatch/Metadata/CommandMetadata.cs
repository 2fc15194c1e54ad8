using System.Collections.Immutable;

namespace TieredKv.Server.Dispatch.Metadata;

/// <summary>
/// What Redis's COMMAND INFO and COMMAND DOCS say of one command or subcommand ("config|get"): its arity,
/// flags, legacy key positions, ACL categories, tips, key specs, docs and subcommands, as redis-server
/// answered (see tools/command-metadata).
/// </summary>
internal sealed record CommandMetadata(
    string Name,
    int Arity,
    ImmutableArray<string> Flags,
    int FirstKey,
    int LastKey,
    int Step,
    ImmutableArray<string> AclCategories,
    ImmutableArray<string> Tips,
    ImmutableArray<KeySpec> KeySpecs,
    CommandDocs Docs,
    ImmutableArray<CommandMetadata> Subcommands);

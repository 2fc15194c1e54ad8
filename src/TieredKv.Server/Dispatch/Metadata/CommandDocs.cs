using System.Collections.Immutable;

namespace TieredKv.Server.Dispatch.Metadata;

/// <summary>
/// COMMAND DOCS of one command, without its subcommands (each has its own <see cref="CommandMetadata"/>).
/// A null or empty field is one Redis leaves out of the reply.
/// </summary>
internal sealed record CommandDocs(
    string? Summary,
    string? Since,
    string Group,
    string? Complexity,
    ImmutableArray<string> DocFlags,
    string? DeprecatedSince,
    string? ReplacedBy,
    ImmutableArray<CommandHistoryEntry> History,
    ImmutableArray<DocArgument> Arguments);

/// <summary>One line of a command's history: the version and what changed in it.</summary>
internal readonly record struct CommandHistoryEntry(string Version, string Change);

using System.Collections.Immutable;

namespace TieredKv.Server.Dispatch.Metadata;

/// <summary>
/// One argument in COMMAND DOCS: its name, type ("key", "string", "oneof", "block" …), the key spec it names
/// (-1 for none), token, and for a oneof or block its own arguments. A null or empty field is left out of the reply.
/// </summary>
internal sealed record DocArgument(
    string Name,
    string Type,
    int KeySpecIndex,
    string? Token,
    string? Summary,
    string? Since,
    string? DeprecatedSince,
    ImmutableArray<string> Flags,
    ImmutableArray<DocArgument> Arguments)
{
    /// <summary>Redis lists the arguments of a oneof or a block, and only of those, even when there are none.</summary>
    public bool HasArguments => Type is "oneof" or "block";
}

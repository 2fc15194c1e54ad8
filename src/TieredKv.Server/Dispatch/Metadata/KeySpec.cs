using System.Collections.Immutable;

namespace TieredKv.Server.Dispatch.Metadata;

/// <summary>
/// One of a command's key specs (Redis 7): how to find where its keys begin (an index, or the argument after a
/// keyword searched from StartFrom) and how many there are (a range up to LastKey, or a count read at
/// KeyNumIndex), with the flags of those keys (RO, RW, OW, RM, access, update, insert, delete, not_key …).
/// </summary>
internal sealed record KeySpec(string? Notes, ImmutableArray<string> Flags, KeySpecBeginSearch BeginSearch, KeySpecFindKeys FindKeys);

/// <summary>begin_search: "index" (Index), "keyword" (Keyword from StartFrom, negative = from the end) or "unknown".</summary>
internal sealed record KeySpecBeginSearch(string Type, int Index, string? Keyword, int StartFrom);

/// <summary>
/// find_keys: "range" (LastKey relative to the first key, negative = from the end; KeyStep; Limit), "keynum" (the
/// count at KeyNumIndex, the first key FirstKey after the begin; KeyStep) or "unknown".
/// </summary>
internal sealed record KeySpecFindKeys(string Type, int LastKey, int KeyStep, int Limit, int KeyNumIndex, int FirstKey);

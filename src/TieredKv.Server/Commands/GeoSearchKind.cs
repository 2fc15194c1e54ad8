namespace TieredKv.Server.Commands;

/// <summary>Which geo search command runs: Redis's georadiusGeneric flags.</summary>
[Flags]
internal enum GeoSearchKind
{
    /// <summary>GEORADIUS: the centre is a longitude,latitude pair.</summary>
    Coords = 1,
    /// <summary>GEORADIUSBYMEMBER: the centre is a member.</summary>
    Member = 2,
    /// <summary>The _RO variants: no STORE/STOREDIST.</summary>
    NoStore = 4,
    /// <summary>GEOSEARCH syntax (FROMMEMBER/FROMLONLAT, BYRADIUS/BYBOX).</summary>
    Search = 8,
    /// <summary>GEOSEARCHSTORE: the destination comes first; STOREDIST is a flag.</summary>
    SearchStore = 16,
}


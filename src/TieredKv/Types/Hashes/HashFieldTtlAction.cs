namespace TieredKv;

/// <summary>What HGETEX and HSETEX do to the expiry of the fields they touch.</summary>
public enum HashFieldTtlAction
{
    /// <summary>HGETEX: leave it. HSETEX: discard it, as HSET does.</summary>
    None,

    /// <summary>HGETEX PERSIST: remove it.</summary>
    Persist,

    /// <summary>HSETEX KEEPTTL: keep it.</summary>
    KeepTtl,

    /// <summary>EX, PX, EXAT or PXAT: set it (a time already past deletes the field).</summary>
    ExpireAt,
}

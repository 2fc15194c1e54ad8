namespace TieredKv.Server.Tracking;

/// <summary>One client's CLIENT TRACKING settings: the mode, where its invalidations go, and the one-shot CLIENT CACHING answer.</summary>
internal sealed class ClientTracking
{
    public bool Enabled { get; set; }

    /// <summary>Broadcasting mode: invalidations for every key under <see cref="Prefixes"/>, nothing remembered per key.</summary>
    public bool Broadcast { get; set; }

    public bool OptIn { get; set; }
    public bool OptOut { get; set; }

    /// <summary>No invalidations for keys this client itself modified.</summary>
    public bool NoLoop { get; set; }

    /// <summary>The client that receives this one's invalidations (0: itself).</summary>
    public long RedirectId { get; set; }

    /// <summary>The redirect client went away: CLIENT LIST shows the R flag, TRACKINGINFO broken_redirect.</summary>
    public bool RedirectBroken { get; set; }

    /// <summary>BCAST prefixes (Latin-1 strings); empty with BCAST means every key.</summary>
    public List<string> Prefixes { get; } = [];

    /// <summary>CLIENT CACHING YES (OPTIN) or NO (OPTOUT) for the next command; null when not given.</summary>
    public bool? Caching { get; set; }

    /// <summary>Whether the read this client just made is to be remembered (OPTIN needs CACHING YES, OPTOUT skips on CACHING NO).</summary>
    public bool RemembersReads =>
        Enabled && !Broadcast && (OptIn ? Caching == true : !(OptOut && Caching == false));

    /// <summary>Keys this client's running command modified, invalidated together once it has run (Latin-1 names).</summary>
    public HashSet<string> PendingInvalidations { get; } = new(StringComparer.Ordinal);

    public void Reset()
    {
        Enabled = Broadcast = OptIn = OptOut = NoLoop = RedirectBroken = false;
        RedirectId = 0;
        Prefixes.Clear();
        Caching = null;
    }
}

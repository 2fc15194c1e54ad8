using TieredKv.Keyspace;
using TieredKv.Numbers;
using TieredKv.Server.Dispatch;
using TieredKv.Server.Tracking;

namespace TieredKv.Server.Commands;

/// <summary>CLIENT TRACKING, TRACKINGINFO, GETREDIR and CACHING: client-side caching's settings, with Redis 7.0's checks and texts.</summary>
internal static class ClientTrackingCommands
{
    /// <summary>CLIENT TRACKING ON|OFF [REDIRECT id] [BCAST] [PREFIX p …] [OPTIN] [OPTOUT] [NOLOOP].</summary>
    public static void Tracking(CommandContext c)
    {
        long redirect = 0;
        bool broadcast = false, optIn = false, optOut = false, noLoop = false;
        var prefixes = new List<string>();
        for (int i = 3; i < c.ArgCount; i++)
        {
            bool more = i + 1 < c.ArgCount;
            if (c.Args.Is(i, "REDIRECT"u8) && more)
            {
                if (!RedisNumbers.TryParseInteger(c.Args[++i], out redirect)) throw new KvException("ERR value is not an integer or out of range");
                if (!c.Server.Clients.ContainsKey(redirect)) throw new KvException("ERR The client ID you want redirect to does not exist");
            }
            else if (c.Args.Is(i, "BCAST"u8)) broadcast = true;
            else if (c.Args.Is(i, "OPTIN"u8)) optIn = true;
            else if (c.Args.Is(i, "OPTOUT"u8)) optOut = true;
            else if (c.Args.Is(i, "NOLOOP"u8)) noLoop = true;
            else if (c.Args.Is(i, "PREFIX"u8) && more) prefixes.Add(TrackingTable.Name(c.Args[++i]));
            else throw CommandContext.Syntax();
        }
        var client = c.Client;
        var tracking = client.Tracking;
        if (c.Args.Is(2, "OFF"u8))
        {
            if (tracking.Enabled) c.Server.Tracking.Disable(client);
            c.Reply.WriteOk();
            return;
        }
        if (!c.Args.Is(2, "ON"u8)) throw CommandContext.Syntax();
        if (!broadcast && prefixes.Count > 0) throw new KvException("ERR PREFIX option requires BCAST mode to be enabled");
        if (tracking.Enabled && tracking.Broadcast != broadcast)
            throw new KvException("ERR You can't switch BCAST mode on/off before disabling tracking for this client, and then re-enabling it with a different mode.");
        if (broadcast && (optIn || optOut)) throw new KvException("ERR OPTIN and OPTOUT are not compatible with BCAST");
        if (optIn && optOut) throw new KvException("ERR You can't specify both OPTIN mode and OPTOUT mode");
        if (tracking.Enabled && ((optIn && tracking.OptOut) || (optOut && tracking.OptIn)))
            throw new KvException("ERR You can't switch OPTIN/OPTOUT mode before disabling tracking for this client, and then re-enabling it with a different mode.");
        if (broadcast) CheckPrefixes(tracking, prefixes);

        bool wasEnabled = tracking.Enabled;
        // As Redis's enableTracking: the options are the new ones; prefixes add to those already followed.
        tracking.RedirectId = redirect;
        tracking.RedirectBroken = false;
        tracking.Broadcast = broadcast;
        tracking.OptIn = optIn;
        tracking.OptOut = optOut;
        tracking.NoLoop = noLoop;
        // BCAST without a prefix follows every key: the empty prefix, which TRACKINGINFO lists.
        if (broadcast && prefixes.Count == 0 && tracking.Prefixes.Count == 0) prefixes.Add("");
        tracking.Prefixes.AddRange(prefixes);
        tracking.Enabled = true;
        if (wasEnabled) c.Server.Tracking.AddPrefixes(client, prefixes);
        else c.Server.Tracking.Enable(client);
        c.Reply.WriteOk();
    }

    /// <summary>No prefix of a client may be a prefix of another (an equal one included), with Redis's texts.</summary>
    private static void CheckPrefixes(ClientTracking tracking, List<string> prefixes)
    {
        static bool Overlap(string a, string b) => a.StartsWith(b, StringComparison.Ordinal) || b.StartsWith(a, StringComparison.Ordinal);
        for (int i = 0; i < prefixes.Count; i++)
        {
            foreach (var existing in tracking.Prefixes)
                if (Overlap(prefixes[i], existing))
                    throw new KvException($"ERR Prefix '{prefixes[i]}' overlaps with an existing prefix '{existing}'. Prefixes for a single client must not overlap.");
            for (int j = i + 1; j < prefixes.Count; j++)
                if (Overlap(prefixes[i], prefixes[j]))
                    throw new KvException($"ERR Prefix '{prefixes[i]}' overlaps with another provided prefix '{prefixes[j]}'. Prefixes for a single client must not overlap.");
        }
    }

    /// <summary>CLIENT TRACKINGINFO: flags, redirect and prefixes, as a map.</summary>
    public static void TrackingInfo(CommandContext c)
    {
        var t = c.Client.Tracking;
        var flags = new List<string>();
        if (!t.Enabled) flags.Add("off");
        else
        {
            flags.Add("on");
            if (t.Broadcast) flags.Add("bcast");
            if (t.OptIn)
            {
                flags.Add("optin");
                if (t.Caching == true) flags.Add("caching-yes");
            }
            if (t.OptOut)
            {
                flags.Add("optout");
                if (t.Caching == false) flags.Add("caching-no");
            }
            if (t.NoLoop) flags.Add("noloop");
            if (t.RedirectBroken) flags.Add("broken_redirect");
        }
        var r = c.Reply;
        r.WriteMapHeader(3);
        r.WriteBulk("flags");
        r.WriteSetHeader(flags.Count);
        foreach (var flag in flags) r.WriteBulk(flag);
        r.WriteBulk("redirect");
        r.WriteInteger(t.Enabled ? t.RedirectId : -1);
        r.WriteBulk("prefixes");
        r.WriteArrayHeader(t.Prefixes.Count);
        foreach (var prefix in t.Prefixes) r.WriteBulk(PubSub.PubSubHub.Bytes(prefix));
    }

    public static void GetRedir(CommandContext c) =>
        c.Reply.WriteInteger(c.Client.Tracking.Enabled ? c.Client.Tracking.RedirectId : -1);

    /// <summary>CLIENT CACHING YES|NO: whether the next command's reads are remembered, in OPTIN or OPTOUT mode.</summary>
    public static void Caching(CommandContext c)
    {
        var t = c.Client.Tracking;
        if (!t.Enabled) throw new KvException("ERR CLIENT CACHING can be called only when the client is in tracking mode with OPTIN or OPTOUT mode enabled");
        if (c.Args.Is(2, "YES"u8))
        {
            if (!t.OptIn) throw new KvException("ERR CLIENT CACHING YES is only valid when tracking is enabled in OPTIN mode.");
            t.Caching = true;
        }
        else if (c.Args.Is(2, "NO"u8))
        {
            if (!t.OptOut) throw new KvException("ERR CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode.");
            t.Caching = false;
        }
        else throw CommandContext.Syntax();
        c.Reply.WriteOk();
    }
}

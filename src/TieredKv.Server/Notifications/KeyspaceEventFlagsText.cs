using System.Text;

namespace TieredKv.Server.Notifications;

/// <summary>Parses and prints notify-keyspace-events strings the way Redis 7.0 does.</summary>
internal static class KeyspaceEventFlagsText
{
    /// <summary>Flags from a string of class letters; false on a letter Redis does not know.</summary>
    public static bool TryParse(string text, out KeyspaceEventFlags flags)
    {
        flags = KeyspaceEventFlags.None;
        foreach (char ch in text)
        {
            KeyspaceEventFlags flag = ch switch
            {
                'A' => KeyspaceEventFlags.All,
                'g' => KeyspaceEventFlags.Generic,
                '$' => KeyspaceEventFlags.String,
                'l' => KeyspaceEventFlags.List,
                's' => KeyspaceEventFlags.Set,
                'h' => KeyspaceEventFlags.Hash,
                'z' => KeyspaceEventFlags.SortedSet,
                'x' => KeyspaceEventFlags.Expired,
                'e' => KeyspaceEventFlags.Evicted,
                'K' => KeyspaceEventFlags.Keyspace,
                'E' => KeyspaceEventFlags.Keyevent,
                't' => KeyspaceEventFlags.Stream,
                'm' => KeyspaceEventFlags.KeyMiss,
                'd' => KeyspaceEventFlags.Module,
                'n' => KeyspaceEventFlags.New,
                _ => KeyspaceEventFlags.None,
            };
            if (flag == KeyspaceEventFlags.None) return false;
            flags |= flag;
        }
        return true;
    }

    /// <summary>The normalized form CONFIG GET shows: "A" for all classes, then K, E and m.</summary>
    public static string Format(KeyspaceEventFlags flags)
    {
        var sb = new StringBuilder();
        if ((flags & KeyspaceEventFlags.All) == KeyspaceEventFlags.All) sb.Append('A');
        else
        {
            (KeyspaceEventFlags Flag, char Letter)[] classes =
            [
                (KeyspaceEventFlags.Generic, 'g'), (KeyspaceEventFlags.String, '$'), (KeyspaceEventFlags.List, 'l'),
                (KeyspaceEventFlags.Set, 's'), (KeyspaceEventFlags.Hash, 'h'), (KeyspaceEventFlags.SortedSet, 'z'),
                (KeyspaceEventFlags.Expired, 'x'), (KeyspaceEventFlags.Evicted, 'e'), (KeyspaceEventFlags.Stream, 't'),
                (KeyspaceEventFlags.Module, 'd'), (KeyspaceEventFlags.New, 'n'),
            ];
            foreach (var (flag, letter) in classes) if (flags.HasFlag(flag)) sb.Append(letter);
        }
        if (flags.HasFlag(KeyspaceEventFlags.Keyspace)) sb.Append('K');
        if (flags.HasFlag(KeyspaceEventFlags.Keyevent)) sb.Append('E');
        if (flags.HasFlag(KeyspaceEventFlags.KeyMiss)) sb.Append('m');
        return sb.ToString();
    }
}

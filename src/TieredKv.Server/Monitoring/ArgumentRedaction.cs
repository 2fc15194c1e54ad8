using TieredKv.Server.Protocol;

namespace TieredKv.Server.Monitoring;

/// <summary>
/// Which arguments the slow log and MONITOR show as "(redacted)", as Redis hides them: AUTH's
/// credentials, HELLO's AUTH username and password, and CONFIG SET's value of requirepass or masterauth.
/// </summary>
internal static class ArgumentRedaction
{
    public static ReadOnlySpan<byte> Redacted => "(redacted)"u8;

    /// <summary>Whether argument <paramref name="index"/> of the command in <paramref name="args"/> is hidden.</summary>
    public static bool IsRedacted(CommandArgs args, int index)
    {
        if (index == 0) return false;
        if (args.Is(0, "auth"u8)) return true;
        if (args.Is(0, "hello"u8))
        {
            // HELLO [protover [AUTH username password] [SETNAME name]]: the two words after AUTH.
            for (int i = 2; i < args.Count; i++)
            {
                if (args.Is(i, "AUTH"u8) && i + 2 < args.Count)
                {
                    if (index == i + 1 || index == i + 2) return true;
                    i += 2;
                }
                else if (args.Is(i, "SETNAME"u8)) i++;
            }
            return false;
        }
        if (args.Is(0, "config"u8) && args.Count >= 4 && args.Is(1, "set"u8) && index >= 3 && (index - 3) % 2 == 0)
            return args.Is(index - 1, "requirepass"u8) || args.Is(index - 1, "masterauth"u8);
        return false;
    }
}

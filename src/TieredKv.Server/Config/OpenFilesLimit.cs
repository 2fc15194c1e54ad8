using System.Globalization;

namespace TieredKv.Server.Config;

/// <summary>
/// Whether this process's open-file limit (RLIMIT_NOFILE, read from /proc/self/limits) can serve a maxclients value,
/// judged as Redis judges it: each client needs a descriptor, plus 32 reserved; Redis raises its soft limit as far as
/// the hard limit lets it, in steps of 16 down from what it wants, and refuses a value it cannot reach.
/// </summary>
internal static class OpenFilesLimit
{
    private const long ReservedDescriptors = 32;

    /// <summary>Redis's refusal for <paramref name="maxClients"/>, or null when the limit serves it (or cannot be read).</summary>
    public static string? CheckMaxClients(long maxClients)
    {
        if (Read() is not var (soft, hard)) return null;
        long wanted = maxClients + ReservedDescriptors;
        if (soft >= wanted) return null;
        long best = wanted;
        while (best > soft && best > hard) // a raise up to the hard limit succeeds
        {
            if (best < 16)
            {
                best = soft;
                break;
            }
            best -= 16;
        }
        best = Math.Max(best, soft);
        return best < wanted
            ? string.Create(CultureInfo.InvariantCulture, $"The operating system is not able to handle the specified number of clients, try with {(int)(best - ReservedDescriptors)}")
            : null;
    }

    /// <summary>The soft and hard limits on open files; null off Linux or when unlimited.</summary>
    private static (long Soft, long Hard)? Read()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/limits"))
            {
                if (!line.StartsWith("Max open files", StringComparison.Ordinal)) continue;
                var words = line["Max open files".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                return long.TryParse(words[0], CultureInfo.InvariantCulture, out long soft) && long.TryParse(words[1], CultureInfo.InvariantCulture, out long hard)
                    ? (soft, hard)
                    : null;
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
        return null;
    }
}

using TieredKv.Keyspace;
using TieredKv.Server.Dispatch;

namespace TieredKv.Server.Commands;

/// <summary>
/// LOLWUT [VERSION v] [args]: as Redis 7.0, version 5 draws Schotter (<see cref="SchotterArt"/>) and signs it; any other
/// version, and none, answers the version line of 7.0's own LOLWUT. Version 6's skyline is not drawn (it answers as 7.0 does).
/// </summary>
internal static class LolwutCommand
{
    public static void Register(CommandTable t) =>
        t.Add(new("lolwut", -1, CommandFlags.ReadOnly | CommandFlags.Fast, 0, 0, 0, Lolwut));

    private static string Signature => $"Redis ver. {ServerCommands.CompatibleVersion}\n";

    private static void Lolwut(CommandContext c)
    {
        int first = 1;
        long version = 7;
        if (c.ArgCount >= 3 && c.Args.Is(1, "VERSION"u8))
        {
            version = c.Integer(2);
            first = 3;
        }
        // Redis picks the drawing from the version text "v.0.0": only 5 draws here.
        if ((uint)version != 5)
        {
            c.Reply.WriteVerbatim(Signature);
            return;
        }
        long columns = Option(c, first, 66, 1, 1000);
        long perRow = Option(c, first + 1, 8, 1, 200);
        long perColumn = Option(c, first + 2, 12, 1, 200);
        string art = SchotterArt.Draw((int)columns, (int)perRow, (int)perColumn, Random.Shared);
        c.Reply.WriteVerbatim($"{art}\nGeorg Nees - schotter, plotter on paper, 1968. {Signature}");
    }

    /// <summary>An optional positional number, clamped to Redis's range.</summary>
    private static long Option(CommandContext c, int index, long fallback, long min, long max) =>
        index < c.ArgCount ? Math.Clamp(c.Integer(index), min, max) : fallback;
}

using TieredKv.Keyspace;
using TieredKv.Server.Dispatch;

namespace TieredKv.Server.Commands;

/// <summary>
/// LOLWUT [VERSION v] [args]: as Redis 7.0, version 5 draws Schotter (<see cref="SchotterArt"/>), version 6 a skyline
/// (<see cref="SkylineArt"/>), each signed; any other version, and none, answers the version line of 7.0's own LOLWUT.
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
        // Redis picks the drawing from the version text "v.0.0": 5 and 6 draw, any other answers 7.0's line.
        if ((uint)version == 6)
        {
            long width = Option(c, first, 80, 1, 1000);
            long height = Option(c, first + 1, 20, 1, 1000);
            string skyline = SkylineArt.Draw((int)width, (int)height, Random.Shared);
            c.Reply.WriteVerbatim($"{skyline}\nDedicated to the 8 bit game developers of past and present.\nOriginal 8 bit image from Plaguemon by hikikomori. {Signature}");
            return;
        }
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

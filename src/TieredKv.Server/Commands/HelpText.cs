using TieredKv.Server.Dispatch;

namespace TieredKv.Server.Commands;

/// <summary>The reply of a container's HELP subcommand: an array of status lines, as Redis's addReplyHelp.</summary>
internal static class HelpText
{
    public static void Write(CommandContext c, string[] lines)
    {
        c.Reply.WriteArrayHeader(lines.Length);
        foreach (var line in lines) c.Reply.WriteSimpleString(line);
    }
}

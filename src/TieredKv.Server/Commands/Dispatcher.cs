using System.Text;
using Microsoft.Extensions.Logging;
using TieredKv.Keyspace;

namespace TieredKv.Server.Commands;

/// <summary>Finds a command in the table, checks arity and authentication, runs it, and turns its failures into Redis error replies.</summary>
internal static class Dispatcher
{
    public static void Execute(CommandContext context)
    {
        var server = context.Server;
        var client = context.Client;
        client.LastInteraction = DateTime.UtcNow;
        server.CountCommand();
        if (!server.Commands.TryGet(context.Args[0], out var spec))
        {
            context.Reply.WriteError(UnknownCommand(context));
            return;
        }
        client.LastCommand = spec!.Name;
        if (!client.Authenticated && !spec.Flags.HasFlag(CommandFlags.NoAuth))
        {
            context.Reply.WriteError("NOAUTH Authentication required.");
            return;
        }
        if (!spec.ArityMatches(context.ArgCount))
        {
            context.Reply.WriteError($"ERR wrong number of arguments for '{spec.Name}' command");
            return;
        }
        Run(context, spec);
    }

    /// <summary>Runs a command whose name and arity are checked; also the entry point for subcommands.</summary>
    public static void Run(CommandContext context, CommandSpec spec)
    {
        try
        {
            spec.Handler(context);
        }
        catch (KvException e)
        {
            context.Reply.WriteError(e.Message);
        }
        catch (IOException e)
        {
            // A failing disk: refuse the write as Redis refuses writes it cannot persist (MISCONF).
            context.Server.Logger.LogError(e, "command {Command} failed on I/O", spec.Name);
            context.Reply.WriteError($"MISCONF Errors writing to the data directory: {e.Message}");
        }
    }

    /// <summary>Redis's text: the name as typed and the first arguments, each quoted and cut at 128 bytes.</summary>
    private static string UnknownCommand(CommandContext context)
    {
        var args = context.Args;
        var sb = new StringBuilder("ERR unknown command '").Append(Cut(args[0])).Append("', with args beginning with: ");
        for (int i = 1; i < args.Count && sb.Length < 512; i++) sb.Append('\'').Append(Cut(args[i])).Append("' ");
        return sb.ToString();
    }

    private static string Cut(ReadOnlySpan<byte> arg) => Encoding.UTF8.GetString(arg[..Math.Min(arg.Length, 128)]);
}

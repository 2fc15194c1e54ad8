
namespace TieredKv.Server.Dispatch;

/// <summary>
/// What CLIENT subcommands change about every later command of a client, applied by the dispatcher around
/// each one: CLIENT REPLY's dropped replies, CLIENT UNBLOCK … ERROR's answer, and CLIENT CACHING's one-shot choice.
/// </summary>
internal static class ClientCommandHooks
{
    public const string UnblockedError = "UNBLOCKED client unblocked via CLIENT UNBLOCK";

    /// <summary>Before a command: false when it is answered here instead of running.</summary>
    public static bool Before(CommandContext context)
    {
        var client = context.Client;
        context.Reply.Discarding = client.ReplyMode is ClientReplyMode.Off or ClientReplyMode.Skip;
        if (!client.UnblockedWithError) return true;
        client.UnblockedWithError = false;
        context.Reply.WriteError(UnblockedError);
        return false;
    }

    /// <summary>
    /// After a command: a SKIP covers one command, the one after CLIENT REPLY SKIP (Redis's SKIP_NEXT becoming
    /// SKIP); a command waiting (blocked or paused) has not run yet and keeps it. CACHING lasts for one command
    /// other than CLIENT's own, outside MULTI, as in Redis's resetClient.
    /// </summary>
    public static void After(CommandContext context)
    {
        var client = context.Client;
        context.Reply.Discarding = false;
        if (client.PendingBlock != null || client.PendingPause != null) return;
        if (client.ReplyMode == ClientReplyMode.Skip) client.ReplyMode = ClientReplyMode.On;
        else if (client.ReplyMode == ClientReplyMode.SkipNext) client.ReplyMode = ClientReplyMode.Skip;
        if (client.Tracking.Caching != null && !client.Transaction.InMulti && !client.LastCommand.StartsWith("client", StringComparison.Ordinal))
            client.Tracking.Caching = null;
    }
}

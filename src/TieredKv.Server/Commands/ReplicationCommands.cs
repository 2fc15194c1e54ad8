using TieredKv.Keyspace;
using TieredKv.Server.Blocking;
using TieredKv.Server.Dispatch;

namespace TieredKv.Server.Commands;

/// <summary>
/// WAIT numreplicas timeout. This server has no replicas, so no write is ever acknowledged by one: as a Redis
/// master without replicas, WAIT answers 0 at once when 0 (or fewer) replicas are asked for or inside a
/// transaction, and otherwise blocks until its timeout (for ever with 0) and then answers 0.
/// </summary>
internal static class ReplicationCommands
{
    public static void Register(CommandTable t)
    {
        t.Add(new("wait", 3, CommandFlags.None, 0, 0, 0, Wait));
    }

    private const long AcknowledgedReplicas = 0;

    private static void Wait(CommandContext c)
    {
        long generation = c.Server.Blocked.Generation;
        long wanted = c.Integer(1);
        long timeout = c.Integer(2, "ERR timeout is not an integer or out of range");
        if (timeout < 0) throw new KvException("ERR timeout is negative");
        var client = c.Client;
        if (AcknowledgedReplicas >= wanted || client.Transaction.InMulti || client.Transaction.InExec)
        {
            c.Reply.WriteInteger(AcknowledgedReplicas);
            return;
        }
        long now = Environment.TickCount64;
        client.BlockDeadline ??= timeout == 0 ? 0 : now + timeout;
        // A WAIT waits on no key: only its deadline (or CLIENT UNBLOCK, which moves the deadline) ends it.
        if (client.BlockDeadline != 0 && now >= client.BlockDeadline)
        {
            c.Reply.WriteInteger(AcknowledgedReplicas);
            return;
        }
        client.PendingBlock = new BlockRequest(client.Database, [], generation);
    }
}

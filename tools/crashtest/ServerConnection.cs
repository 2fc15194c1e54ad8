using TieredKv.Client;

namespace TieredKv.CrashTest;

/// <summary>Connections to the server under test on the loopback interface.</summary>
internal static class ServerConnection
{
    /// <summary>Connects to 127.0.0.1:<paramref name="port"/>; <paramref name="timeout"/> bounds the connect and every read and write.</summary>
    public static RespConnection Open(int port, TimeSpan timeout) =>
        RespConnection.Connect("127.0.0.1", port, new RespConnectionOptions { ConnectTimeout = timeout, IoTimeout = timeout });

    /// <summary>Sends every command with one socket write (a pipeline); their replies are then read in order.</summary>
    public static void SendAll(this RespConnection connection, IEnumerable<IReadOnlyList<string>> commands)
    {
        foreach (var c in commands) connection.Send([.. c]);
        connection.Flush();
    }
}

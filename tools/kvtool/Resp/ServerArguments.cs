using System.CommandLine;
using System.Net.Sockets;
using TieredKv.Client;

namespace TieredKv.Tools.Resp;

/// <summary>The <c>--host/--port/--password</c> options of the verbs that talk to a running server, and the connection they describe.</summary>
public sealed class ServerArguments
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public Option<string?> Host { get; } = new("--host") { Description = "Server host (default 127.0.0.1); any of --host/--port/--password means: talk to a running server over RESP" };
    public Option<int?> Port { get; } = new("--port") { Description = "Server port" };
    public Option<string?> Password { get; } = new("--password") { Description = "Password sent with AUTH (requirepass)" };

    public void AddTo(Command command)
    {
        command.Options.Add(Host);
        command.Options.Add(Port);
        command.Options.Add(Password);
    }

    /// <summary>True when any of the options was given, i.e. the verb should work online.</summary>
    public bool Given(ParseResult result) =>
        result.GetValue(Host) != null || result.GetValue(Port) != null || result.GetValue(Password) != null;

    public string Describe(ParseResult result) => $"{HostOf(result)}:{result.GetValue(Port) ?? 6379}";

    /// <summary>Connects and authenticates; a connection that cannot be made is an <see cref="IOException"/> naming the server.</summary>
    public RespConnection Connect(ParseResult result)
    {
        string host = HostOf(result);
        int port = result.GetValue(Port) ?? 6379;
        try
        {
            return RespConnection.Connect(host, port, new RespConnectionOptions { ConnectTimeout = Timeout, IoTimeout = Timeout, Password = result.GetValue(Password) });
        }
        catch (SocketException e)
        {
            throw new IOException($"cannot connect to {host}:{port}: {e.Message}", e);
        }
    }

    private string HostOf(ParseResult result) => result.GetValue(Host) ?? "127.0.0.1";

    /// <summary>
    /// How many databases the server has: CONFIG GET databases, or, when CONFIG is refused (renamed, ACL),
    /// SELECT 0, 1, … until the server says the index is out of range.
    /// </summary>
    public static int CountDatabases(RespConnection client)
    {
        var reply = client.Call("CONFIG", "GET", "databases");
        if (!reply.IsError && reply.Items is [_, { Bulk: not null } value] &&
            int.TryParse(value.ToString(), System.Globalization.CultureInfo.InvariantCulture, out int n) && n > 0)
            return n;
        int count = 0;
        while (count < 1024 && !client.Call("SELECT", count).IsError) count++;
        if (count == 0) throw new RespException("the server refuses SELECT 0");
        client.CallOrThrow("SELECT", 0);
        return count;
    }
}

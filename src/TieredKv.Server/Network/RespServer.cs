using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using TieredKv.Server.Dispatch;

namespace TieredKv.Server.Network;

/// <summary>Accepts connections on the bound addresses and runs each client until it leaves or the server shuts down.</summary>
internal sealed class RespServer : IAsyncDisposable
{
    private readonly ServerState _state;
    private readonly List<Socket> _listeners = [];
    private readonly List<Task> _acceptLoops = [];
    private string? _unixSocketPath;

    public RespServer(ServerState state) => _state = state;

    /// <summary>The port actually bound (useful when configured as 0).</summary>
    public int Port { get; private set; }

    public void Start()
    {
        int port = _state.Options.Port;
        int backlog = (int)Math.Min(_state.Options.GetInteger("tcp-backlog"), int.MaxValue);
        foreach (var address in _state.Options.Bind)
        {
            var ip = address == "*" ? IPAddress.Any : IPAddress.Parse(address.TrimStart('-'));
            var socket = new Socket(ip.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            socket.Bind(new IPEndPoint(ip, port));
            socket.Listen(backlog);
            port = ((IPEndPoint)socket.LocalEndPoint!).Port; // every address on the same port
            _listeners.Add(socket);
            _state.Logger.LogInformation("listening on {Address}:{Port}", ip, port);
        }
        Port = port;
        if (_state.Options.Get("unixsocket") is { Length: > 0 } path) ListenOnUnixSocket(path, backlog);
        foreach (var listener in _listeners) _acceptLoops.Add(AcceptLoop(listener));
        _acceptLoops.Add(IdleClients.CloseLoop(_state));
    }

    /// <summary>
    /// <c>unixsocket</c>: RESP over a Unix domain socket too, as Redis serves it (a stale socket file is replaced), its
    /// file mode set from <c>unixsocketperm</c> when given.
    /// </summary>
    private void ListenOnUnixSocket(string path, int backlog)
    {
        if (File.Exists(path)) File.Delete(path);
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(path));
        socket.Listen(backlog);
        long permissions = Convert.ToInt64(_state.Options.Get("unixsocketperm"), 8); // octal, as redis.conf writes it
        if (permissions != 0 && !OperatingSystem.IsWindows()) File.SetUnixFileMode(path, (UnixFileMode)permissions);
        _unixSocketPath = path;
        _listeners.Add(socket);
        _state.Logger.LogInformation("listening on unix socket {Path}", path);
    }

    private async Task AcceptLoop(Socket listener)
    {
        var token = _state.Shutdown.Token;
        while (!token.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptAsync(token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            _state.CountConnection();
            if (client.AddressFamily != AddressFamily.Unix)
            {
                client.NoDelay = true;
                KeepAlive(client, _state.Options.GetInteger("tcp-keepalive"));
            }
            if (Refuse(client)) continue;
            _ = Task.Run(() => new ClientConnection(client, _state).RunAsync());
        }
    }

    /// <summary><c>tcp-keepalive</c> seconds, as Redis's anetKeepAlive sets them: probes after that idle time, then every third of it, three times.</summary>
    private static void KeepAlive(Socket client, long seconds)
    {
        if (seconds <= 0) return;
        int idle = (int)Math.Min(seconds, int.MaxValue);
        client.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive, true);
        client.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveTime, idle);
        client.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveInterval, Math.Max(1, idle / 3));
        client.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveRetryCount, 3);
    }

    /// <summary>Enforces maxclients and protected mode, replying with Redis's error (its very text, typo included) before closing.</summary>
    private bool Refuse(Socket client)
    {
        string? error = null;
        if (_state.Clients.Count >= _state.Options.MaxClients)
            error = "-ERR max number of clients reached\r\n";
        else if (_state.Options.ProtectedMode && _state.Options.RequirePass == null &&
                 client.RemoteEndPoint is IPEndPoint ip && !IPAddress.IsLoopback(ip.Address))
            error = "-DENIED Redis is running in protected mode because protected mode is enabled and no password is set for the default user. " +
                    "In this mode connections are only accepted from the loopback interface. If you want to connect from external computers to Redis you may adopt one of the following solutions: " +
                    "1) Just disable protected mode sending the command 'CONFIG SET protected-mode no' from the loopback interface by connecting to Redis from the same host the server is running, however MAKE SURE Redis is not publicly accessible from internet if you do so. Use CONFIG REWRITE to make this change permanent. " +
                    "2) Alternatively you can just disable the protected mode by editing the Redis configuration file, and setting the protected mode option to 'no', and then restarting the server. " +
                    "3) If you started the server manually just for testing, restart it with the '--protected-mode no' option. " +
                    "4) Setup a an authentication password for the default user. NOTE: You only need to do one of the above things in order for the server to start accepting connections from the outside.\r\n";
        if (error == null) return false;
        _state.CountRejected();
        try
        {
            client.Send(System.Text.Encoding.ASCII.GetBytes(error));
        }
        catch (SocketException) { }
        client.Dispose();
        return true;
    }

    public async ValueTask DisposeAsync()
    {
        _state.Shutdown.Cancel();
        foreach (var l in _listeners) l.Dispose();
        await Task.WhenAll(_acceptLoops);
        if (_unixSocketPath != null)
        {
            try { File.Delete(_unixSocketPath); }
            catch (IOException) { }
        }
        foreach (var c in _state.Clients.Values) c.Kill?.Invoke();
    }
}

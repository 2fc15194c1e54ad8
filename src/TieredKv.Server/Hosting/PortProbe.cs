using System.Net;
using System.Net.Sockets;
using TieredKv.Server.Config;

namespace TieredKv.Server.Hosting;

/// <summary>
/// Checks, before anything is created on disk, that every configured address can be bound on the port: a port in
/// use then ends the start with one line instead of after the data directory was made. (The listener binds again
/// when the store is open; a port taken in between still fails cleanly there.)
/// </summary>
internal static class PortProbe
{
    /// <summary>Null when the port can be bound on every address, else why not.</summary>
    public static string? Problem(ServerOptions options)
    {
        if (options.Port == 0) return null;
        foreach (string address in options.Bind)
        {
            var ip = address == "*" ? IPAddress.Any : IPAddress.TryParse(address.TrimStart('-'), out var parsed) ? parsed : null;
            if (ip == null) continue; // the listener reports a bad address itself
            using var socket = new Socket(ip.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            try
            {
                socket.Bind(new IPEndPoint(ip, options.Port));
            }
            catch (SocketException e) when (address.StartsWith('-') && e.SocketErrorCode == SocketError.AddressNotAvailable)
            {
                // "-::1": an optional address Redis skips when the machine does not have it.
            }
            catch (SocketException e)
            {
                return $"cannot listen on {address}:{options.Port}: {e.Message}";
            }
        }
        return null;
    }
}

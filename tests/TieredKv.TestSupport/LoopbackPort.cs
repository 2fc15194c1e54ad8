using System.Net;
using System.Net.Sockets;

namespace TieredKv.TestSupport;

/// <summary>A loopback TCP port nobody listens on right now, for a server process the test starts.</summary>
public static class LoopbackPort
{
    public static int Free()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}

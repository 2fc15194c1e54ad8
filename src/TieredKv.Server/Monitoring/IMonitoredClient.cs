namespace TieredKv.Server.Monitoring;

/// <summary>A client as MONITOR and the slow log see it: who it is, where it connects from, and where monitor lines go.</summary>
internal interface IMonitoredClient
{
    long Id { get; }

    /// <summary>Its selected database (MONITOR's <c>[db address]</c>).</summary>
    int Database { get; }

    /// <summary>ip:port (a Unix socket's path and port 0): the slow log's client address.</summary>
    string Address { get; }

    /// <summary>The address in MONITOR's lines: as <see cref="Address"/>, but <c>unix:path</c> for a Unix socket, as Redis writes it.</summary>
    string MonitorAddress { get; }

    /// <summary>CLIENT SETNAME's name, or null.</summary>
    string? Name { get; }

    /// <summary>Queues an encoded frame for the client (dropped when over its output limit).</summary>
    void Deliver(byte[] frame);
}

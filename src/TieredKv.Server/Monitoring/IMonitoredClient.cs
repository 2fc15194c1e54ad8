using System.Net;

namespace TieredKv.Server.Monitoring;

/// <summary>A client as MONITOR and the slow log see it: who it is, where it connects from, and where monitor lines go.</summary>
internal interface IMonitoredClient
{
    long Id { get; }

    /// <summary>Its selected database (MONITOR's <c>[db address]</c>).</summary>
    int Database { get; }

    EndPoint? Remote { get; }

    /// <summary>CLIENT SETNAME's name, or null.</summary>
    string? Name { get; }

    /// <summary>Queues an encoded frame for the client (dropped when over its output limit).</summary>
    void Deliver(byte[] frame);
}

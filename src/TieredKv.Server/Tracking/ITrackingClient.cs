using TieredKv.Server.PubSub;

namespace TieredKv.Server.Tracking;

/// <summary>A client as client-side caching sees it: who it is, its CLIENT TRACKING settings, and where its invalidations go.</summary>
internal interface ITrackingClient : ISubscriber
{
    long Id { get; }

    ClientTracking Tracking { get; }
}

using Microsoft.Extensions.Logging;
using TieredKv.Server.Dispatch;

namespace TieredKv.Server.Network;

/// <summary>
/// <c>timeout</c>: closes connections idle for longer than it (0 = never), checked every second as Redis's clientsCron
/// does — except pub/sub subscribers and clients blocked in a command, which Redis does not time out either.
/// </summary>
internal static class IdleClients
{
    public static async Task CloseLoop(ServerState state)
    {
        var token = state.Shutdown.Token;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await timer.WaitForNextTickAsync(token)) CloseIdle(state, state.Options.GetInteger("timeout"), DateTime.UtcNow);
        }
        catch (OperationCanceledException) { }
    }

    /// <summary>Closes every client idle for more than <paramref name="timeoutSeconds"/> at <paramref name="now"/>.</summary>
    public static void CloseIdle(ServerState state, long timeoutSeconds, DateTime now)
    {
        if (timeoutSeconds <= 0) return;
        foreach (var client in state.Clients.Values)
        {
            if (client.Subscribed || client.PendingBlock != null) continue;
            if ((now - client.LastInteraction).TotalSeconds <= timeoutSeconds) continue;
            state.Logger.LogDebug("closing client {Id}: idle for more than timeout ({Timeout} s)", client.Id, timeoutSeconds);
            client.Kill?.Invoke();
        }
    }
}

using System.Reflection;
using TieredKv.Server.Commands;

namespace TieredKv.Server.Hosting;

/// <summary>What <c>--version</c> and the start-up banner say about this build.</summary>
internal static class ServerVersion
{
    /// <summary>The build's version (the assembly's informational version, without a source-revision suffix).</summary>
    public static string Number
    {
        get
        {
            string? informational = typeof(ServerVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
            return informational?.Split('+')[0] ?? "0.0.0";
        }
    }

    /// <summary>One line in the shape of <c>redis-server --version</c>'s, which scripts and tools parse for <c>v=</c>.</summary>
    public static string Line =>
        $"TieredKv server v={Number} redis-compatible={ServerCommands.CompatibleVersion} runtime=.NET {Environment.Version} bits={IntPtr.Size * 8}";
}

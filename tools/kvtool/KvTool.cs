using System.CommandLine;

namespace TieredKv.Tools;

/// <summary>
/// The kvtool command line: maintenance of a TieredKv data directory (offline) and RDB dumps and restores
/// (offline, or of a running server as a RESP client). Each verb lives in its
/// own class; this builds the command tree and runs it with the given output streams, so tests run
/// the verbs as library calls exactly as the executable does.
/// </summary>
public static class KvTool
{
    /// <summary>Exit codes: success, damage found, the command could not run (bad arguments, missing files).</summary>
    public const int Ok = 0, DamageFound = 1, Failed = 2;

    public static int Run(string[] args, TextWriter output, TextWriter error, bool interactiveProgress = false)
    {
        var console = new ToolConsole(output, error, interactiveProgress);
        var root = new RootCommand("kvtool: tools for TieredKv data directories and files (offline) and RDB files: dump and restore a data directory or a running server (over RESP)");
        root.Subcommands.Add(VerifyVerb.Create(console));
        root.Subcommands.Add(InspectVerb.Create(console));
        root.Subcommands.Add(DumpVerb.Create(console));
        root.Subcommands.Add(RestoreVerb.Create(console));
        var parsed = root.Parse(args);
        try
        {
            int code = parsed.Invoke(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
            return parsed.Errors.Count > 0 ? Failed : code;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or Client.RespException or Keyspace.KvException)
        {
            error.WriteLine($"kvtool: {e.Message}");
            return Failed;
        }
    }
}

/// <summary>Where a verb writes: results to <see cref="Out"/>, progress and errors to <see cref="Error"/>.</summary>
public sealed record ToolConsole(TextWriter Out, TextWriter Error, bool InteractiveProgress)
{
    public ProgressDisplay Progress(string label, long total, ProgressUnit unit = ProgressUnit.Bytes) => new(Error, InteractiveProgress, label, total, unit: unit);
}

using System.CommandLine;
using TieredKv.Rdb;
using TieredKv.Rdb.Format;
using TieredKv.Tools.Resp;

namespace TieredKv.Tools;

/// <summary>
/// <c>kvtool restore &lt;file.rdb&gt;</c>: loads an RDB file into a data directory no server has open
/// (<c>--data-dir</c>, through <see cref="RdbImporter"/>) or into a running server (<c>--host/--port/--password</c>,
/// pipelined RESTORE). The whole file is verified first, so a damaged file writes nothing.
/// </summary>
public static class RestoreVerb
{
    // The importer reports keys it left out with a reason; these two are not failures (Redis drops them too).
    private static readonly string[] HarmlessSkips = [RdbImporter.AlreadyExpired, RdbImporter.EmptyCollection];

    public static Command Create(ToolConsole console)
    {
        var file = new Argument<FileInfo>("file") { Description = "The RDB file to load (versions 1-11, Redis up to 7.2)" };
        var dataDir = new Option<DirectoryInfo?>("--data-dir") { Description = "Load into this data directory (created when missing; not open in a running server)" };
        var databases = new Option<int>("--databases") { Description = "Databases of the data directory's store", DefaultValueFactory = _ => 16 };
        var replace = new Option<bool>("--replace") { Description = "Overwrite keys that exist (otherwise each such key fails)" };
        var server = new ServerArguments();
        var command = new Command("restore", "Load an RDB file into a data directory (--data-dir) or a running server (--host/--port/--password: pipelined RESTORE ... ABSTTL). The file is verified to the end first: a damaged file writes nothing. Exit 0 when every key was loaded, 1 when the file is damaged or some keys failed, 2 on error.");
        command.Arguments.Add(file);
        command.Options.Add(dataDir);
        command.Options.Add(databases);
        command.Options.Add(replace);
        server.AddTo(command);
        command.SetAction(result =>
        {
            var input = result.GetValue(file)!;
            var dir = result.GetValue(dataDir);
            if (dir != null == server.Given(result))
            {
                console.Error.WriteLine("kvtool restore: give either --data-dir DIR (a stopped store) or --host/--port (a running server)");
                return KvTool.Failed;
            }
            if (!input.Exists)
            {
                console.Error.WriteLine($"kvtool restore: no file {input.FullName}");
                return KvTool.Failed;
            }
            // One bar over both passes: the file is read to its end once to verify it, then again to load it.
            var progress = console.Progress("restore", 2 * input.Length);
            using var stream = new ProgressStream(File.OpenRead(input.FullName), progress) { Detail = "verifying" };
            try
            {
                new RdbReader(stream).ReadToEnd();
            }
            catch (RdbFormatException e)
            {
                progress.Finish();
                console.Out.WriteLine($"CORRUPTION {input.FullName} offset {e.Offset}: {e.Problem}");
                console.Out.WriteLine("nothing was restored");
                return KvTool.DamageFound;
            }
            stream.Position = 0;
            stream.ReportedBase = input.Length;
            stream.Detail = "loading";
            return dir != null
                ? RestoreDirectory(console, stream, progress, dir, result.GetValue(databases), result.GetValue(replace))
                : RestoreServer(console, stream, progress, server, result, result.GetValue(replace));
        });
        return command;
    }

    private static int RestoreDirectory(ToolConsole console, Stream input, ProgressDisplay progress, DirectoryInfo dir, int databases, bool replace)
    {
        RdbImportResult result;
        using (var store = TieredKvStore.Open(dir.FullName, new TieredKvOptions { Databases = databases, ActiveExpiryInterval = TimeSpan.Zero }))
            result = RdbImporter.Import(input, store, new RdbImportOptions { Replace = replace, VerifyFirst = false }); // verified above
        progress.Finish();
        var failed = result.Skipped.Where(s => !HarmlessSkips.Contains(s.Reason)).ToList();
        foreach (var s in failed) console.Out.WriteLine($"FAILED db {s.Db} key {Format.Key(s.Key)}: {s.Reason}");
        // Skipped keys are already listed as failures above.
        foreach (var w in result.Warnings.Where(w => !w.StartsWith("skipped key", StringComparison.Ordinal))) console.Out.WriteLine($"warning: {w}");
        console.Out.WriteLine($"restored {result.Imported} keys into {dir.FullName}, {result.Skipped.Count - failed.Count} already expired or empty, {failed.Count} failed");
        return failed.Count == 0 ? KvTool.Ok : KvTool.DamageFound;
    }

    private static int RestoreServer(ToolConsole console, Stream input, ProgressDisplay progress, ServerArguments server, ParseResult parsed, bool replace)
    {
        using var client = server.Connect(parsed);
        var result = ServerRestore.Restore(client, input, replace);
        progress.Finish();
        foreach (var f in result.Failures) console.Out.WriteLine($"FAILED {f}");
        console.Out.WriteLine($"restored {result.Restored} keys and {result.FunctionLibraries} function libraries into {server.Describe(parsed)}, {result.Expired} already expired, {result.Failures.Count} failed");
        return result.Failures.Count == 0 ? KvTool.Ok : KvTool.DamageFound;
    }
}

using System.CommandLine;
using TieredKv.Keyspace;
using TieredKv.Rdb;
using TieredKv.Tools.Resp;

namespace TieredKv.Tools;

/// <summary>
/// <c>kvtool dump &lt;file.rdb&gt;</c>: an RDB file (version 10, loadable by Redis 7.0) from a data directory no
/// server has open (<c>--data-dir</c>, one consistent snapshot) or from a running server over RESP
/// (<c>--host/--port/--password</c>, DUMP of every key). The file appears under its name only once complete.
/// </summary>
public static class DumpVerb
{
    public static Command Create(ToolConsole console)
    {
        var file = new Argument<FileInfo>("file") { Description = "The RDB file to write (replaced once the dump is complete)" };
        var dataDir = new Option<DirectoryInfo?>("--data-dir") { Description = "Dump this data directory (not open in a running server)" };
        var databases = new Option<int>("--databases") { Description = "Databases of the data directory's store", DefaultValueFactory = _ => 16 };
        var server = new ServerArguments();
        var command = new Command("dump", "Write an RDB file that Redis 7.0 loads, from a data directory (--data-dir) or from a running server (--host/--port/--password: SCAN, DUMP and PTTL of every key of every database). Exit 0 when every key was written, 1 when some keys could not be, 2 on error.");
        command.Arguments.Add(file);
        command.Options.Add(dataDir);
        command.Options.Add(databases);
        server.AddTo(command);
        command.SetAction(result =>
        {
            var output = result.GetValue(file)!;
            var dir = result.GetValue(dataDir);
            if (dir != null == server.Given(result))
            {
                console.Error.WriteLine("kvtool dump: give either --data-dir DIR (a stopped store) or --host/--port (a running server)");
                return KvTool.Failed;
            }
            return dir != null ? DumpDirectory(console, dir, result.GetValue(databases), output) : DumpServer(console, server, result, output);
        });
        return command;
    }

    private static int DumpDirectory(ToolConsole console, DirectoryInfo dir, int databases, FileInfo output)
    {
        if (!dir.Exists || !File.Exists(Path.Combine(dir.FullName, "CURRENT")))
        {
            console.Error.WriteLine($"kvtool dump: {dir.FullName} is not a data directory (no CURRENT file)");
            return KvTool.Failed;
        }
        // No active expiry: a dump must not delete anything; expired keys are left out by the snapshot.
        using var store = TieredKvStore.Open(dir.FullName, new TieredKvOptions { Databases = databases, ActiveExpiryInterval = TimeSpan.Zero });
        using var snapshot = store.OpenSnapshot();
        long total = Enumerable.Range(0, snapshot.DatabaseCount).Sum(snapshot.KeyCount);
        var progress = console.Progress("dump", total, ProgressUnit.Keys);
        var result = TempFile.Write(output.FullName, stream =>
            RdbExporter.Export(snapshot, stream, new SynchronousProgress<RdbExportProgress>(p => progress.Update(p.Keys, Format.Bytes(p.Bytes)))));
        progress.Finish();
        Summarize(console, output, result.Keys, result.Bytes, result.KeysPerType);
        return KvTool.Ok;
    }

    private static int DumpServer(ToolConsole console, ServerArguments server, ParseResult parsed, FileInfo output)
    {
        using var client = server.Connect(parsed);
        var result = TempFile.Write(output.FullName, stream => ServerDump.Dump(client, stream, total => console.Progress("dump", total, ProgressUnit.Keys)));
        foreach (var failure in result.Failures) console.Out.WriteLine($"FAILED {failure}");
        Summarize(console, output, result.Keys, result.Bytes, result.KeysPerType);
        if (result.FunctionLibraries > 0) console.Out.WriteLine($"and {result.FunctionLibraries} function libraries");
        if (result.Failures.Count == 0) return KvTool.Ok;
        console.Out.WriteLine($"{result.Failures.Count} key(s) of {server.Describe(parsed)} could not be dumped");
        return KvTool.DamageFound;
    }

    private static void Summarize(ToolConsole console, FileInfo output, long keys, long bytes, IReadOnlyDictionary<KeyType, long> perType)
    {
        string types = string.Join(", ", perType.OrderBy(p => p.Key).Select(p => $"{p.Value} {KeyTypeNames.Name(p.Key)}"));
        console.Out.WriteLine($"dumped {keys} keys ({(types.Length == 0 ? "none" : types)}) to {output.FullName}, {bytes} bytes ({Format.Bytes(bytes)})");
    }
}

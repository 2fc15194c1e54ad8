using System.CommandLine;
using TieredKv.Storage.Inspection;

namespace TieredKv.Tools;

/// <summary><c>kvtool verify &lt;data-dir&gt;</c>: every checksum of every file, read only.</summary>
public static class VerifyVerb
{
    public static Command Create(ToolConsole console)
    {
        var directory = new Argument<DirectoryInfo>("data-dir") { Description = "The data directory (not open in a running server)" };
        var allowTorn = new Option<bool>("--allow-torn-tail")
        {
            Description = "Do not fail on a damaged log end with nothing valid after it (what a crash mid-write leaves; recovery cuts it off)",
        };
        var command = new Command("verify", "Check every checksum of every file of a data directory (CURRENT, MANIFEST, WAL, SSTables) without modifying anything. Exit 0 when clean, 1 when damage is found, 2 on error.");
        command.Arguments.Add(directory);
        command.Options.Add(allowTorn);
        command.SetAction(result => Run(console, result.GetValue(directory)!, result.GetValue(allowTorn)));
        return command;
    }

    private static int Run(ToolConsole console, DirectoryInfo directory, bool allowTornTail)
    {
        if (!directory.Exists)
        {
            console.Error.WriteLine($"kvtool verify: no directory {directory.FullName}");
            return KvTool.Failed;
        }
        ProgressDisplay? progress = null;
        var report = Verifier.VerifyDirectory(directory.FullName, p =>
        {
            progress ??= console.Progress("verify", p.TotalBytes);
            progress.Update(p.BytesDone, $"file {p.FilesDone + 1}/{p.FileCount} {Path.GetFileName(p.CurrentFile)}");
        });
        progress?.Finish();

        foreach (var c in report.Corruptions) console.Out.WriteLine($"CORRUPTION {c.File} offset {c.Offset}: {c.Message}");
        foreach (var t in report.TornTails) console.Out.WriteLine($"{(allowTornTail ? "torn tail" : "TORN TAIL")} {t.File} offset {t.Offset}: {t.Message}");
        console.Out.WriteLine($"{report.FilesChecked} files, {Format.Bytes(report.BytesChecked)}, {report.TableEntries} table entries, {report.LogRecords} log records checked: " +
                              (report.IsClean(allowTornTail) ? "clean" : $"{report.Corruptions.Count + (allowTornTail ? 0 : report.TornTails.Count)} problem(s)"));
        return report.IsClean(allowTornTail) ? KvTool.Ok : KvTool.DamageFound;
    }
}

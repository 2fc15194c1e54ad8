using System.Diagnostics;

namespace TieredKv.CrashTest.PowerCut;

/// <summary>Whether powercut_fs can run on this machine, and if not, why (tests skip with that reason).</summary>
internal static class FuseSupport
{
    private static readonly Lazy<string?> Reason = new(Probe);

    /// <summary>Null when a probe mount worked; otherwise what is missing, with the package that provides it.</summary>
    public static string? WhyUnavailable() => Reason.Value;

    internal static string? FindFusermount() =>
        ((string[])["/usr/bin", "/bin", .. (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':')])
        .SelectMany(d => (string[])[Path.Combine(d, "fusermount"), Path.Combine(d, "fusermount3")])
        .FirstOrDefault(File.Exists);

    private static string? Probe()
    {
        if (!OperatingSystem.IsLinux()) return "power-cut tests need Linux FUSE";
        if (!File.Exists("/dev/fuse")) return "/dev/fuse is missing (a container needs --device /dev/fuse --cap-add SYS_ADMIN)";
        if (FindFusermount() == null) return "fusermount is not installed (apt-get install fuse3)";
        if (!File.Exists(FuseMount.Python)) return $"{FuseMount.Python} is missing (apt-get install python3)";
        if (!File.Exists(FuseMount.ScriptPath)) return $"{FuseMount.ScriptPath} is missing: the build should copy it next to crashtest";
        if (!Succeeds(FuseMount.Python, "-c", "import fusepy")) return "the fusepy module is missing (apt-get install python3-fusepy)";
        string root = Path.Combine(Path.GetTempPath(), "tkv-fuse-probe-" + Guid.NewGuid().ToString("N"));
        try
        {
            using var mount = FuseMount.Mount(Path.Combine(root, "durable"), Path.Combine(root, "mnt"));
            File.WriteAllText(Path.Combine(mount.MountPoint, "probe"), "probe");
            return null;
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or TimeoutException or UnauthorizedAccessException)
        {
            return $"a probe mount of powercut_fs failed: {e.Message}";
        }
        finally
        {
            TryDelete(root);
        }
    }

    private static bool Succeeds(string program, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(program, arguments)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        });
        if (process == null) return false;
        if (process.WaitForExit(TimeSpan.FromSeconds(20))) return process.ExitCode == 0;
        process.Kill();
        return false;
    }

    private static void TryDelete(string path)
    {
        try
        {
            if (!FuseMount.IsMounted(Path.Combine(path, "mnt"))) Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory is harmless; a delete reaching into a live mount would not be.
        }
    }
}

using System.Diagnostics;
using System.Text;

namespace TieredKv.CrashTest.PowerCut;

/// <summary>
/// One mount of powercut_fs.py: a FUSE daemon showing <see cref="MountPoint"/> with the live state while
/// <see cref="Backing"/> holds only what was made durable. <see cref="Cut"/> is the power failure.
/// </summary>
internal sealed class FuseMount : IDisposable
{
    public const string Python = "/usr/bin/python3";
    private static readonly TimeSpan MountTimeout = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(15);

    private readonly Process _daemon;
    private readonly StringBuilder _output = new();
    private bool _cut;

    private FuseMount(Process daemon, string backing, string mountPoint)
    {
        _daemon = daemon;
        Backing = backing;
        MountPoint = mountPoint;
    }

    public string Backing { get; }
    public string MountPoint { get; }

    /// <summary>What the daemon printed: a Python traceback here means a bug in the file system, not in the server.</summary>
    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    /// <summary>The file system's script, copied next to this tool by the build.</summary>
    public static string ScriptPath => Path.Combine(AppContext.BaseDirectory, "powercut", "powercut_fs.py");

    /// <summary>Mounts a fresh daemon over what <paramref name="backing"/> holds; throws when the mount does not appear.</summary>
    public static FuseMount Mount(string backing, string mountPoint)
    {
        mountPoint = Path.GetFullPath(mountPoint);
        // A run that died without cleaning up leaves a dead mount that would hide the new one.
        if (IsMounted(mountPoint)) LazyUnmount(mountPoint);
        Directory.CreateDirectory(backing);
        Directory.CreateDirectory(mountPoint);
        var info = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in (string[])[ScriptPath, backing, mountPoint]) info.ArgumentList.Add(a);
        var daemon = Process.Start(info) ?? throw new InvalidOperationException($"could not start {Python}");
        var mount = new FuseMount(daemon, backing, mountPoint);
        daemon.OutputDataReceived += (_, e) => mount.Append(e.Data);
        daemon.ErrorDataReceived += (_, e) => mount.Append(e.Data);
        daemon.BeginOutputReadLine();
        daemon.BeginErrorReadLine();
        var clock = Stopwatch.StartNew();
        while (!IsMounted(mountPoint))
        {
            if (daemon.HasExited || clock.Elapsed > MountTimeout)
            {
                mount.Cut();
                throw new InvalidOperationException($"powercut_fs did not mount {mountPoint} within {MountTimeout.TotalSeconds} s:\n{mount.Output}");
            }
            Thread.Sleep(20);
        }
        return mount;
    }

    /// <summary>
    /// The power cut: SIGKILL of the daemon loses every byte and name not yet made durable, and the lazy
    /// unmount detaches what is left. Kill the processes using the mount first: they may wait on the daemon.
    /// </summary>
    public void Cut()
    {
        if (_cut) return;
        _cut = true;
        try
        {
            _daemon.Kill();
        }
        catch (InvalidOperationException)
        {
            // It had exited already.
        }
        if (!_daemon.WaitForExit(ExitTimeout)) throw new TimeoutException($"the powercut_fs daemon (pid {_daemon.Id}) did not exit after SIGKILL");
        LazyUnmount(MountPoint);
        _daemon.Dispose();
    }

    private void Append(string? line)
    {
        if (line == null) return;
        lock (_output) _output.AppendLine(line);
    }

    /// <summary>Whether <paramref name="path"/> is a mount point, per /proc/self/mountinfo (field 5).</summary>
    public static bool IsMounted(string path)
    {
        string full = Path.GetFullPath(path).TrimEnd('/');
        foreach (var line in File.ReadLines("/proc/self/mountinfo"))
        {
            var fields = line.Split(' ');
            if (fields.Length > 4 && fields[4].Replace("\\040", " ", StringComparison.Ordinal) == full) return true;
        }
        return false;
    }

    /// <summary>fusermount -uz, bounded in time: a stuck mount must never hang a run.</summary>
    public static void LazyUnmount(string mountPoint)
    {
        string tool = FuseSupport.FindFusermount() ?? "fusermount";
        using var process = Process.Start(new ProcessStartInfo(tool, ["-uz", mountPoint])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        }) ?? throw new InvalidOperationException($"could not start {tool}");
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(ExitTimeout))
        {
            process.Kill();
            throw new TimeoutException($"{tool} -uz {mountPoint} did not finish within {ExitTimeout.TotalSeconds} s");
        }
        if (IsMounted(mountPoint)) throw new IOException($"{tool} -uz {mountPoint} left it mounted: {stderr.Result}");
    }

    public void Dispose() => Cut();
}

namespace TieredKv.CrashTest.PowerCut;

/// <summary>
/// The server runs on a powercut_fs mount; a crash is SIGKILL of the server and of the file system's daemon
/// together, so that only what was fsynced (data) and directory-fsynced (names) survives, then a fresh mount.
/// Layout under the run's directory: <c>durable/</c> (the backing store) and <c>mnt/</c> (the mount).
/// </summary>
internal sealed class PowerCutCrash(string runDir, string? preCreateDir = null) : ICrashMethod
{
    private static readonly TimeSpan ServerExitTimeout = TimeSpan.FromSeconds(30);
    private FuseMount? _mount;

    public string DataDir { get; } = Path.Combine(Path.GetFullPath(runDir), "mnt");
    public string Backing { get; } = Path.Combine(Path.GetFullPath(runDir), "durable");
    public string Verb => "cut";
    public string Diagnostics => _mount?.Output is { Length: > 0 } output ? "file system output:\n" + Tail(output) : "";

    public void Prepare()
    {
        _mount = FuseMount.Mount(Backing, DataDir);
        if (preCreateDir == null) return;
        // Made durable up front, as an administrator's mkdir would be long before: redis-server creates
        // appendonlydir without fsyncing --dir, so in the strict model that whole directory never survives.
        Directory.CreateDirectory(Path.Combine(DataDir, preCreateDir));
        new Storage.IO.LocalFileSystem().SyncDirectory(DataDir);
    }

    public void Crash(ServerProcess server)
    {
        // The server first: its last acknowledged write was then durable (or lost by the server's own choice).
        server.SendKill();
        _mount?.Cut();
        if (!server.WaitForExit(ServerExitTimeout)) throw new TimeoutException($"the server (pid {server.Pid}) did not exit after SIGKILL and the power cut");
        _mount = FuseMount.Mount(Backing, DataDir);
    }

    public void Dispose()
    {
        _mount?.Cut();
        _mount = null;
    }

    private static string Tail(string text) => text.Length > 4000 ? text[^4000..] : text;
}

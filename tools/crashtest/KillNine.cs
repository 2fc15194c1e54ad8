namespace TieredKv.CrashTest;

/// <summary>SIGKILL of the server alone: what it wrote reached the page cache and survives, synced or not.</summary>
internal sealed class KillNine(string dataDir) : ICrashMethod
{
    public string DataDir => dataDir;
    public string Verb => "kill";
    public string Diagnostics => "";

    public void Prepare() => Directory.CreateDirectory(dataDir);

    public void Crash(ServerProcess server) => server.KillHard();

    public void Dispose()
    {
    }
}

namespace TieredKv.CrashTest;

/// <summary>How a cycle ends: kill -9 of the server (the OS keeps its page cache) or a power cut (it does not).</summary>
internal interface ICrashMethod : IDisposable
{
    /// <summary>The directory the server is started on.</summary>
    string DataDir { get; }

    /// <summary>"kill" or "cut", for reports.</summary>
    string Verb { get; }

    /// <summary>Readies <see cref="DataDir"/> before the first start.</summary>
    void Prepare();

    /// <summary>Crashes the server; afterwards <see cref="DataDir"/> holds what survived, ready for the next start.</summary>
    void Crash(ServerProcess server);

    /// <summary>Anything besides the server's log that explains a violation (the file system's output), or "".</summary>
    string Diagnostics { get; }
}

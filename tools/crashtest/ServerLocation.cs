namespace TieredKv.CrashTest;

/// <summary>
/// Where tieredkv-server.dll is when <c>--server</c> does not say: the <c>TIEREDKV_SERVER_DLL</c> environment
/// variable, else beside this tool (a test project that references the server), else the server built in this
/// repository (<c>src/TieredKv.Server/bin/&lt;configuration&gt;/net10.0/</c>). The tool never links the server.
/// </summary>
internal static class ServerLocation
{
    public const string EnvironmentVariable = "TIEREDKV_SERVER_DLL";
    private const string FileName = "tieredkv-server.dll";

#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    public static string DefaultServerDll()
    {
        if (Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } fromEnvironment) return fromEnvironment;
        string beside = Path.Combine(AppContext.BaseDirectory, FileName);
        if (File.Exists(beside)) return beside;
        string framework = Path.GetFileName(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory));
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            if (!File.Exists(Path.Combine(dir.FullName, "TieredKv.sln"))) continue;
            string built = Path.Combine(dir.FullName, "src", "TieredKv.Server", "bin", Configuration, framework, FileName);
            if (File.Exists(built)) return built;
            break;
        }
        return beside; // the start fails naming this path
    }
}

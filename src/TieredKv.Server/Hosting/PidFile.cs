namespace TieredKv.Server.Hosting;

/// <summary><c>pidfile path</c>: the process id written at start, as Redis writes it, and removed at a clean exit.</summary>
internal sealed class PidFile : IDisposable
{
    private readonly string _path;

    private PidFile(string path) => _path = path;

    /// <summary>Writes the pid to <paramref name="path"/>; null (nothing written) when no pidfile is configured.</summary>
    public static PidFile? Create(string? path)
    {
        if (string.IsNullOrEmpty(path)) return null;
        File.WriteAllText(path, $"{Environment.ProcessId}\n");
        return new PidFile(path);
    }

    public void Dispose()
    {
        try { File.Delete(_path); }
        catch (IOException) { } // as Redis: a pidfile that cannot be removed is not worth failing the exit
    }
}

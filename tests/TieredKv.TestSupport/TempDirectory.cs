namespace TieredKv.TestSupport;

/// <summary>A fresh, empty directory under the temp path for a test's files, deleted (best effort) on dispose.</summary>
public sealed class TempDirectory : IDisposable
{
    /// <param name="prefix">Starts the directory's name, so a leftover one says which tests made it.</param>
    public TempDirectory(string prefix = "tkv-test-")
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), prefix + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    /// <summary>The path of <paramref name="name"/> inside the directory.</summary>
    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { }
    }
}

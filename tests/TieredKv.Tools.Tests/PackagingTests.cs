using System.Diagnostics;
using System.IO.Compression;
using System.Xml.Linq;
using TieredKv.TestSupport;

namespace TieredKv.Tools.Tests;

/// <summary>
/// The NuGet packages as a user gets them: the library's metadata, and the server and kvtool as .NET tools that
/// install from their package and run. Packs the projects the test run has just built (no build, no restore).
/// </summary>
public sealed class PackagingTests : IDisposable
{
    private readonly TempDirectory _dir = new("tkv-packaging-");

    public void Dispose() => _dir.Dispose();

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(dir!.FullName, "TieredKv.sln"))) dir = dir.Parent;
        return dir.FullName;
    }

    private static (int ExitCode, string Output) Run(string program, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(program, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(120_000), $"{program} did not finish");
        return (process.ExitCode, stdout + stderr.Result);
    }

    private string Pack(string project)
    {
        var (code, output) = Run("dotnet", "pack", Path.Combine(RepositoryRoot(), project), "-c", "Release", "--no-build", "--no-restore", "-o", _dir.Path);
        Assert.True(code == 0, output);
        return _dir.Path;
    }

    private static XElement Nuspec(string package)
    {
        using var zip = ZipFile.OpenRead(package);
        var entry = zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal));
        using var stream = entry.Open();
        var metadata = XDocument.Load(stream).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
        Assert.Contains(zip.Entries, e => e.FullName == "README.md");
        return metadata;
    }

    private static string? Field(XElement metadata, string name) => metadata.Elements().SingleOrDefault(e => e.Name.LocalName == name)?.Value;

    [Fact]
    public void LibraryPackage_CarriesItsMetadataAndReadme()
    {
        string dir = Pack("src/TieredKv/TieredKv.csproj");
        var metadata = Nuspec(Directory.GetFiles(dir, "TieredKv.*.nupkg").Single(p => !p.EndsWith(".snupkg", StringComparison.Ordinal)));
        Assert.Equal("TieredKv", Field(metadata, "id"));
        Assert.StartsWith("Redis data types", Field(metadata, "description"));
        Assert.Equal("README.md", Field(metadata, "readme"));
        Assert.Equal("TieredKv contributors", Field(metadata, "authors"));
        Assert.Single(Directory.GetFiles(dir, "TieredKv.*.snupkg"));
    }

    [Fact]
    public void ServerPackage_InstallsAsADotnetToolThatRuns()
    {
        string dir = Pack("src/TieredKv.Server/TieredKv.Server.csproj");
        var metadata = Nuspec(Directory.GetFiles(dir, "tieredkv-server.*.nupkg").Single(p => !p.EndsWith(".snupkg", StringComparison.Ordinal)));
        Assert.Contains(metadata.Elements(), e => e.Name.LocalName == "packageTypes" && e.ToString().Contains("DotnetTool", StringComparison.Ordinal));
        string tools = Path.Combine(_dir.Path, "tools");
        var (code, output) = Run("dotnet", "tool", "install", "--tool-path", tools, "--add-source", dir, "tieredkv-server", "--version", Field(metadata, "version")!);
        Assert.True(code == 0, output);
        var (versionCode, version) = Run(Path.Combine(tools, "tieredkv-server"), "--version");
        Assert.Equal(0, versionCode);
        Assert.StartsWith($"TieredKv server v={Field(metadata, "version")} ", version);
    }
}

using TieredKv.CrashTest.PowerCut;

namespace TieredKv.Server.Tests.Crash;

/// <summary>
/// powercut_fs keeps exactly what the strict POSIX crash model promises: file data once the file is fsynced,
/// a name once its directory is fsynced; everything else is gone after a cut. The power-cut torture is only
/// as good as this model, so each rule is checked here through a real mount.
/// </summary>
public sealed class PowerCutFsTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "tkv-powercut-fs-" + Guid.NewGuid().ToString("N"));
    private FuseMount? _mount;

    private string Backing => Path.Combine(_root, "durable");
    private string Dir => Path.Combine(_root, "mnt");
    private string PathOf(string name) => Path.Combine(Dir, name);

    private void Mount()
    {
        Skip.If(FuseSupport.WhyUnavailable() is not null, FuseSupport.WhyUnavailable());
        _mount = FuseMount.Mount(Backing, Dir);
    }

    private void CutAndRemount()
    {
        _mount!.Cut();
        _mount = FuseMount.Mount(Backing, Dir);
    }

    private void Write(string name, string text, bool sync, FileMode mode = FileMode.Create)
    {
        using var file = new FileStream(PathOf(name), mode, FileAccess.Write);
        file.Write(System.Text.Encoding.UTF8.GetBytes(text));
        if (sync) file.Flush(flushToDisk: true);
    }

    private void SyncDir(string name = "") => new Storage.IO.LocalFileSystem().SyncDirectory(name.Length == 0 ? Dir : PathOf(name));

    [SkippableFact]
    public void FileSynced_ButNotItsDirectory_VanishesAfterCut()
    {
        Mount();
        Write("a", "data", sync: true);
        CutAndRemount();
        Assert.False(File.Exists(PathOf("a")));
    }

    [SkippableFact]
    public void FileAndDirectorySynced_SurvivesCut_WithoutItsUnsyncedAppend()
    {
        Mount();
        Write("a", "durable", sync: true);
        SyncDir();
        Write("a", "+appended", sync: false, FileMode.Append);
        Assert.Equal("durable+appended", File.ReadAllText(PathOf("a")));
        CutAndRemount();
        Assert.Equal("durable", File.ReadAllText(PathOf("a")));
    }

    [SkippableFact]
    public void NamedDurablyBeforeAnyDataSync_ComesBackEmpty()
    {
        Mount();
        Write("a", "never synced", sync: false);
        SyncDir();
        CutAndRemount();
        Assert.Equal("", File.ReadAllText(PathOf("a")));
    }

    [SkippableFact]
    public void RenameAndUnlink_WithoutDirectorySync_AreUndone()
    {
        Mount();
        Write("old", "renamed", sync: true);
        Write("victim", "deleted", sync: true);
        Write("target", "overwritten", sync: true);
        SyncDir();
        File.Move(PathOf("old"), PathOf("new"));
        File.Delete(PathOf("victim"));
        File.Move(PathOf("new"), PathOf("target"), overwrite: true);
        CutAndRemount();
        Assert.Equal("renamed", File.ReadAllText(PathOf("old")));
        Assert.False(File.Exists(PathOf("new")));
        Assert.Equal("deleted", File.ReadAllText(PathOf("victim")));
        Assert.Equal("overwritten", File.ReadAllText(PathOf("target")));
    }

    [SkippableFact]
    public void RenameOverAndUnlink_AfterDirectorySync_Survive()
    {
        Mount();
        Write("temp", "new contents", sync: true);
        Write("target", "old contents", sync: true);
        Write("victim", "deleted", sync: true);
        SyncDir();
        File.Move(PathOf("temp"), PathOf("target"), overwrite: true);
        File.Delete(PathOf("victim"));
        SyncDir();
        CutAndRemount();
        Assert.Equal("new contents", File.ReadAllText(PathOf("target")));
        Assert.Equal(["target"], Directory.GetFiles(Dir).Select(Path.GetFileName));
    }

    [SkippableFact]
    public void Subdirectory_SurvivesOnlyOnceItsParentIsSynced()
    {
        Mount();
        Directory.CreateDirectory(PathOf("sub"));
        Write("sub/f", "inside", sync: true);
        SyncDir("sub");
        CutAndRemount();
        Assert.False(Directory.Exists(PathOf("sub")));

        Directory.CreateDirectory(PathOf("sub"));
        Write("sub/f", "inside", sync: true);
        SyncDir("sub");
        SyncDir();
        CutAndRemount();
        Assert.Equal("inside", File.ReadAllText(PathOf("sub/f")));
    }

    [SkippableFact]
    public void OverwriteInPlace_KeepsOnlyTheSyncedBytes()
    {
        Mount();
        Write("a", "0123456789", sync: true);
        SyncDir();
        using (var file = new FileStream(PathOf("a"), FileMode.Open, FileAccess.Write))
        {
            file.Position = 2;
            file.Write("ab"u8);
            file.Flush(flushToDisk: true);
            file.Position = 6;
            file.Write("cd"u8);
            file.SetLength(8);
        }
        Assert.Equal("01ab45cd", File.ReadAllText(PathOf("a")));
        CutAndRemount();
        Assert.Equal("01ab456789", File.ReadAllText(PathOf("a")));
    }

    public void Dispose()
    {
        _mount?.Dispose();
        if (!FuseMount.IsMounted(Dir) && Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }
}

using System.Text;
using TieredKv.Storage.IO;

namespace TieredKv.Storage.Tests.IO;

/// <summary>The power-cut file system keeps exactly what the strict POSIX crash model makes durable.</summary>
public sealed class PowerCutFileSystemTests
{
    private static byte[] B(string s) => Encoding.ASCII.GetBytes(s);

    private static string Read(IFileSystem fs, string path)
    {
        using var file = fs.OpenRandomAccess(path);
        var bytes = new byte[file.Length];
        file.Read(0, bytes);
        return Encoding.ASCII.GetString(bytes);
    }

    private static PowerCutFileSystem WithDirectory(string dir = "/db")
    {
        var fs = new PowerCutFileSystem();
        fs.CreateDirectory(dir);
        fs.SyncDirectory("/");
        return fs;
    }

    private static void WriteSynced(IFileSystem fs, string path, string text)
    {
        using var file = fs.CreateWritable(path);
        file.Append(B(text));
        file.Sync();
    }

    [Fact]
    public void SyncedFile_WhoseDirectoryWasNotSynced_VanishesAtPowerCut()
    {
        var fs = WithDirectory();
        WriteSynced(fs, "/db/a", "data");
        Assert.False(fs.CutPower().FileExists("/db/a"));
    }

    [Fact]
    public void SyncedFile_AfterDirectorySync_SurvivesWithItsData()
    {
        var fs = WithDirectory();
        WriteSynced(fs, "/db/a", "data");
        fs.SyncDirectory("/db");
        var after = fs.CutPower();
        Assert.Equal("data", Read(after, "/db/a"));
    }

    [Fact]
    public void DataAppendedAfterTheLastFileSync_IsDroppedAtPowerCut()
    {
        var fs = WithDirectory();
        using (var file = fs.CreateWritable("/db/a"))
        {
            file.Append(B("durable"));
            file.Sync();
            fs.SyncDirectory("/db");
            file.Append(B("-lost"));
        }
        Assert.Equal("durable", Read(fs.CutPower(), "/db/a"));
    }

    [Fact]
    public void KeepUnsyncedPrefix_KeepsTheDurableDataAndAPrefixOfTheRest()
    {
        var fs = WithDirectory();
        using (var file = fs.CreateWritable("/db/a"))
        {
            file.Append(B("durable"));
            file.Sync();
            fs.SyncDirectory("/db");
            file.Append(B("-maybe"));
        }
        var seen = new HashSet<string>();
        for (int seed = 0; seed < 40; seed++) seen.Add(Read(fs.CutPower(new Random(seed)), "/db/a"));
        Assert.All(seen, s => Assert.True("durable-maybe".StartsWith(s, StringComparison.Ordinal) && s.StartsWith("durable", StringComparison.Ordinal), s));
        Assert.True(seen.Count > 2, string.Join(", ", seen));
    }

    [Fact]
    public void RenameWithoutDirectorySync_IsUndoneAtPowerCut()
    {
        var fs = WithDirectory();
        WriteSynced(fs, "/db/old", "one");
        WriteSynced(fs, "/db/tmp", "two");
        fs.SyncDirectory("/db");
        fs.RenameFile("/db/tmp", "/db/old");
        var after = fs.CutPower();
        Assert.Equal("one", Read(after, "/db/old"));
        Assert.Equal("two", Read(after, "/db/tmp"));
    }

    [Fact]
    public void RenameFollowedByDirectorySync_IsDurable()
    {
        var fs = WithDirectory();
        WriteSynced(fs, "/db/old", "one");
        WriteSynced(fs, "/db/tmp", "two");
        fs.SyncDirectory("/db");
        fs.RenameFile("/db/tmp", "/db/old");
        fs.SyncDirectory("/db");
        var after = fs.CutPower();
        Assert.Equal("two", Read(after, "/db/old"));
        Assert.False(after.FileExists("/db/tmp"));
    }

    [Fact]
    public void DeleteWithoutDirectorySync_IsUndoneAtPowerCut()
    {
        var fs = WithDirectory();
        WriteSynced(fs, "/db/a", "data");
        fs.SyncDirectory("/db");
        fs.DeleteFile("/db/a");
        Assert.False(fs.FileExists("/db/a"));
        Assert.Equal("data", Read(fs.CutPower(), "/db/a"));
    }

    [Fact]
    public void NewDirectory_IsLostWithItsFiles_UnlessItsParentWasSynced()
    {
        var fs = new PowerCutFileSystem();
        fs.CreateDirectory("/db");
        fs.SyncDirectory("/db");
        WriteSynced(fs, "/db/a", "data");
        fs.SyncDirectory("/db");
        var after = fs.CutPower();
        Assert.False(after.FileExists("/db/a"));
        Assert.Throws<DirectoryNotFoundException>(() => after.ListFiles("/db"));
    }

    [Fact]
    public void TruncateFile_IsDurableWhenItReturns()
    {
        var fs = WithDirectory();
        WriteSynced(fs, "/db/a", "keep-cut");
        fs.SyncDirectory("/db");
        fs.TruncateFile("/db/a", 4);
        Assert.Equal("keep", Read(fs.CutPower(), "/db/a"));
    }

    [Fact]
    public void CutPowerAt_FailsThatOperationAndEveryLaterOne()
    {
        var fs = WithDirectory(); // two operations
        fs.CutPowerAt(4);
        var file = fs.CreateWritable("/db/a"); // 3
        Assert.Throws<IOException>(() => file.Append(B("x"))); // 4: the cut
        Assert.True(fs.PoweredOff);
        Assert.Throws<IOException>(() => fs.FileExists("/db/a"));
        Assert.Throws<IOException>(() => fs.SyncDirectory("/db"));
        Assert.Equal(4, fs.Operations);
    }

    [Fact]
    public void ReadersOfAFile_SeeItsLengthWhenOpened()
    {
        var fs = WithDirectory();
        using var file = fs.CreateWritable("/db/a");
        file.Append(B("abc"));
        using var reader = fs.OpenRandomAccess("/db/a");
        file.Append(B("def"));
        Assert.Equal(3, reader.Length);
        Assert.Equal(6, fs.GetFileLength("/db/a"));
    }
}

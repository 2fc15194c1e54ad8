using System.Text;
using TieredKv.Storage.IO;

namespace TieredKv.Storage.Tests;

/// <summary>
/// <see cref="Db.SetWalSync"/> while open: a switch to Always leaves every write made before it on disk, and every
/// write after it is fsynced before it returns, as a power cut (<see cref="PowerCutFileSystem"/>) shows.
/// </summary>
public sealed class DbWalSyncSwitchTests
{
    private const string Dir = "/data/db";

    private static byte[] B(string s) => Encoding.ASCII.GetBytes(s);

    private static PowerCutFileSystem NewMachine()
    {
        var fs = new PowerCutFileSystem();
        fs.CreateDirectory("/data");
        fs.SyncDirectory("/");
        return fs;
    }

    [Fact]
    public void SwitchToAlways_SyncsWhatNoLeftUnsynced_AndEveryLaterWrite()
    {
        var fs = NewMachine();
        var db = Db.Open(Dir, SmallEngine.Options(fs, WalSyncPolicy.No, background: false));
        db.Put(B("before"), B("1"));
        db.SetWalSync(WalSyncPolicy.Always);
        Assert.Equal(WalSyncPolicy.Always, db.WalSync);
        db.Put(B("after"), B("2"));

        using var reopened = Db.Open(Dir, SmallEngine.Options(fs.CutPower(), WalSyncPolicy.Always, background: false));
        Assert.Equal(B("1"), reopened.Get(B("before")));
        Assert.Equal(B("2"), reopened.Get(B("after")));
    }

    [Fact]
    public void UnderNo_AWriteIsLostByAPowerCut()
    {
        // The control of the test above: without the switch, the same write does not survive.
        var fs = NewMachine();
        var db = Db.Open(Dir, SmallEngine.Options(fs, WalSyncPolicy.No, background: false));
        db.Put(B("before"), B("1"));

        using var reopened = Db.Open(Dir, SmallEngine.Options(fs.CutPower(), WalSyncPolicy.Always, background: false));
        Assert.Null(reopened.Get(B("before")));
    }

    [Fact]
    public void SwitchFromAlwaysToNo_StopsFsyncingWrites()
    {
        var fs = NewMachine();
        using var db = Db.Open(Dir, SmallEngine.Options(fs, WalSyncPolicy.Always, background: false));
        db.Put(B("a"), B("1"));
        long syncs = db.GetStatistics().WalSyncs;
        db.SetWalSync(WalSyncPolicy.No);
        db.Put(B("b"), B("2"));
        Assert.Equal(syncs, db.GetStatistics().WalSyncs);
    }
}

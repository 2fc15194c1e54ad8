using System.Text;
using TieredKv.Rdb;
using TieredKv.Server.Tests.Harness;

namespace TieredKv.Server.Tests.Commands;

/// <summary>SAVE, BGSAVE, LASTSAVE and INFO persistence on our server; the files are read back with <see cref="RdbReader"/>.</summary>
public sealed class PersistenceCommandTests
{
    private static string Reply(RawClient c, params string[] args) => Encoding.UTF8.GetString(c.Call(args));

    private static Dictionary<string, string> ReadFile(string path)
    {
        using var f = File.OpenRead(path);
        var reader = new RdbReader(f);
        var keys = new Dictionary<string, string>();
        while (reader.TryReadNext(out var e))
            keys[$"{e.Db}:{Encoding.UTF8.GetString(e.Key)}"] = e.Type == Keyspace.KeyType.String
                ? Encoding.UTF8.GetString(e.Value.StringValue())
                : string.Join(",", e.Value.Elements().Select(x => Encoding.UTF8.GetString(x.Member)));
        Assert.True(reader.ChecksumVerified);
        return keys;
    }

    private static string Info(RawClient c, string field)
    {
        string info = Reply(c, "INFO", "persistence");
        string line = info.Split("\r\n").Single(l => l.StartsWith(field + ":", StringComparison.Ordinal));
        return line[(field.Length + 1)..];
    }

    [Fact]
    public void Save_writes_dbfilename_in_dir_with_every_database()
    {
        using var server = new TieredKvServer();
        using var c = new RawClient(server.Port);
        Reply(c, "SET", "a", "1");
        Reply(c, "RPUSH", "l", "x", "y");
        Reply(c, "SELECT", "3");
        Reply(c, "SADD", "s", "m");
        Assert.Equal("+OK\r\n", Reply(c, "SAVE"));
        var keys = ReadFile(Path.Combine(server.State.Options.Dir, "dump.rdb"));
        Assert.Equal(new Dictionary<string, string> { ["0:a"] = "1", ["0:l"] = "x,y", ["3:s"] = "m" }, keys);
    }

    [Fact]
    public void Save_uses_the_configured_dbfilename()
    {
        using var server = new TieredKvServer();
        using var c = new RawClient(server.Port);
        Reply(c, "SET", "k", "v");
        Assert.Equal("+OK\r\n", Reply(c, "CONFIG", "SET", "dbfilename", "other.rdb"));
        Assert.Equal("+OK\r\n", Reply(c, "SAVE"));
        Assert.Equal("v", ReadFile(Path.Combine(server.State.Options.Dir, "other.rdb"))["0:k"]);
        Assert.False(File.Exists(Path.Combine(server.State.Options.Dir, "dump.rdb")));
    }

    [Fact]
    public void Dbfilename_cannot_be_a_path()
    {
        using var server = new TieredKvServer();
        using var c = new RawClient(server.Port);
        Assert.StartsWith("-ERR", Reply(c, "CONFIG", "SET", "dbfilename", "../x.rdb"));
    }

    [Fact]
    public void Bgsave_writes_the_keys_as_of_the_command_not_later_writes()
    {
        using var server = new TieredKvServer();
        using var c = new RawClient(server.Port);
        for (int i = 0; i < 2000; i++) Reply(c, "SET", "k" + i, "v" + i);
        Assert.Equal("+Background saving started\r\n", Reply(c, "BGSAVE"));
        Reply(c, "SET", "after", "x");
        Reply(c, "SET", "k0", "changed");
        server.State.Saver.WaitForBackground();
        var keys = ReadFile(Path.Combine(server.State.Options.Dir, "dump.rdb"));
        Assert.Equal(2000, keys.Count);
        Assert.Equal("v0", keys["0:k0"]);
        Assert.False(keys.ContainsKey("0:after"));
        Assert.Equal("ok", Info(c, "rdb_last_bgsave_status"));
        Assert.Equal("0", Info(c, "rdb_bgsave_in_progress"));
    }

    [Fact]
    public void Bgsave_refuses_bad_arguments_and_leaves_no_temp_files()
    {
        using var server = new TieredKvServer();
        using var c = new RawClient(server.Port);
        Assert.Equal("-ERR syntax error\r\n", Reply(c, "BGSAVE", "NOW"));
        Reply(c, "SET", "k", "v");
        Reply(c, "BGSAVE");
        server.State.Saver.WaitForBackground();
        Assert.Empty(Directory.GetFiles(server.State.Options.Dir, "temp-*.rdb"));
    }

    [Fact]
    public void Start_removes_temp_files_a_killed_save_left_and_nothing_else()
    {
        string dir = Path.Combine(Path.GetTempPath(), "tkv-leftover-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            File.WriteAllText(Path.Combine(dir, "temp-4242-0123456789abcdef.rdb"), "REDIS0010 half a file");
            File.WriteAllText(Path.Combine(dir, "temp-notes.txt"), "not ours");
            File.WriteAllText(Path.Combine(dir, "dump.rdb"), "an older save");
            using (new TieredKvServer(o => o.Dir = dir)) { }
            Assert.Equal(["dump.rdb", "temp-notes.txt"], Directory.GetFiles(dir).Select(Path.GetFileName).Where(n => n!.EndsWith(".rdb") || n.StartsWith("temp")).Order());
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Failed_bgsave_is_reported_in_info_and_leaves_no_temp_file()
    {
        using var server = new TieredKvServer();
        using var c = new RawClient(server.Port);
        Reply(c, "SET", "k", "v");
        // A directory where the file should go: the final rename fails.
        Directory.CreateDirectory(Path.Combine(server.State.Options.Dir, "blocked.rdb"));
        Reply(c, "CONFIG", "SET", "dbfilename", "blocked.rdb");
        long lastSave = long.Parse(Reply(c, "LASTSAVE")[1..^2]);
        Assert.Equal("+Background saving started\r\n", Reply(c, "BGSAVE"));
        server.State.Saver.WaitForBackground();
        Assert.Equal("err", Info(c, "rdb_last_bgsave_status"));
        Assert.Equal(lastSave, long.Parse(Reply(c, "LASTSAVE")[1..^2]));
        Assert.Equal("1", Info(c, "rdb_changes_since_last_save"));
        Assert.Empty(Directory.GetFiles(server.State.Options.Dir, "temp-*.rdb"));

        Reply(c, "CONFIG", "SET", "dbfilename", "dump.rdb");
        Reply(c, "BGSAVE");
        server.State.Saver.WaitForBackground();
        Assert.Equal("ok", Info(c, "rdb_last_bgsave_status"));
    }

    [Fact]
    public void Lastsave_and_changes_since_last_save_follow_saves()
    {
        using var server = new TieredKvServer();
        using var c = new RawClient(server.Port);
        long before = long.Parse(Reply(c, "LASTSAVE")[1..^2]);
        Assert.InRange(before, DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 60, DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        Reply(c, "SET", "a", "1");
        Reply(c, "SET", "b", "2");
        Reply(c, "GET", "a");
        Assert.Equal("2", Info(c, "rdb_changes_since_last_save"));
        Reply(c, "SAVE");
        Assert.Equal("0", Info(c, "rdb_changes_since_last_save"));
        Assert.Equal(Info(c, "rdb_last_save_time"), Reply(c, "LASTSAVE")[1..^2]);
    }

    [Fact]
    public void Save_inside_multi_is_refused()
    {
        using var server = new TieredKvServer();
        using var c = new RawClient(server.Port);
        Reply(c, "MULTI");
        Assert.StartsWith("-ERR", Reply(c, "SAVE"));
    }

    [SkippableFact]
    public void Saved_file_passes_redis_check_rdb_and_loads_into_redis()
    {
        string? checkRdb = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(d => Path.Combine(d, "redis-check-rdb")).FirstOrDefault(File.Exists);
        Skip.If(checkRdb == null, "redis-check-rdb is not installed (apt-get install redis-tools)");
        using var server = new TieredKvServer();
        using var c = new RawClient(server.Port);
        Reply(c, "HSET", "h", "f", "v");
        Reply(c, "ZADD", "z", "1.5", "m");
        Reply(c, "SET", "s", "12");
        Reply(c, "SAVE");
        var p = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(checkRdb!, Path.Combine(server.State.Options.Dir, "dump.rdb")) { RedirectStandardOutput = true, UseShellExecute = false })!;
        string output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        Assert.Contains("RDB looks OK", output);
    }
}

using TieredKv.Server.Config;
using TieredKv.Server.Tests.Harness;

namespace TieredKv.Server.Tests.Security;

/// <summary>rename-command: a disabled or renamed command is unknown by its old name, compared with redis-server.</summary>
public sealed class RenameCommandTests
{
    [SkippableFact]
    public void RenamedToEmpty_CommandIsUnknown()
    {
        using var pair = new ServerPair("--rename-command CONFIG \"\"", o => o.Set("rename-command", "CONFIG \"\""));
        var clients = pair.Connect();
        Assert.StartsWith("-ERR unknown command 'CONFIG', with args beginning with: ", ServerPair.Same(clients, "CONFIG", "GET", "maxclients"));
        ServerPair.Same(clients, "config", "set", "maxclients", "5");
        ServerPair.Same(clients, "CONFIG");
        Assert.Equal("+PONG\\r\\n", ServerPair.Same(clients, "PING"));
    }

    [SkippableFact]
    public void RenamedToNewName_RunsUnderItOnly_InAnyCase()
    {
        using var pair = new ServerPair("--rename-command CONFIG MYCONFIG", o => o.Set("rename-command", "CONFIG MYCONFIG"));
        var clients = pair.Connect();
        ServerPair.Same(clients, "MYCONFIG", "GET", "maxclients");
        ServerPair.Same(clients, "myconfig", "get", "maxclients");
        ServerPair.Same(clients, "MYCONFIG", "NOSUCH");
        ServerPair.Same(clients, "MYCONFIG");
        Assert.StartsWith("-ERR unknown command 'CONFIG'", ServerPair.Same(clients, "CONFIG", "GET", "maxclients"));
    }

    [SkippableFact]
    public void ConfigSet_RenameCommand_IsUnknownAtRuntime()
    {
        using var pair = new ServerPair("");
        var clients = pair.Connect();
        ServerPair.Same(clients, "CONFIG", "SET", "rename-command", "GET FOO");
        ServerPair.Same(clients, "CONFIG", "SET", "rename-command", "GET", "FOO");
        Assert.StartsWith("$", ServerPair.Same(clients, "GET", "k"));
    }

    [Fact]
    public void ConfigFile_QuotedArguments_AreSplitLikeRedisConf()
    {
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllLines(path, ["rename-command FLUSHALL \"\"", "rename-command \"CONFIG\" 'MY CONFIG'", "rename-command DEBUG ''"]);
            var options = new ServerOptions();
            ConfigFile.Apply(path, options);
            Assert.Equal([("FLUSHALL", ""), ("CONFIG", "MY CONFIG"), ("DEBUG", "")], options.RenamedCommands);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void CommandLine_EmptyNewName_Disables()
    {
        var options = new ServerOptions();
        Program.ApplyArguments(["--rename-command", "FLUSHALL", ""], options);
        Assert.Equal([("FLUSHALL", "")], options.RenamedCommands);
    }

    [Fact]
    public void UnknownCommand_FailsAtStart()
    {
        var error = Assert.Throws<FormatException>(() => new TieredKvServer(o => o.Set("rename-command", "NOSUCHCOMMAND X")));
        Assert.Contains("No such command in rename-command", error.Message);
    }

    [Fact]
    public void RenamedContainerCommand_StillFindsItsSubcommands()
    {
        // CLIENT's subcommands are found through CLIENT itself: renaming it must not break them.
        using var server = new TieredKvServer(o => o.Set("rename-command", "CLIENT C"));
        using var client = new RawClient(server.Port);
        Assert.StartsWith(":", System.Text.Encoding.ASCII.GetString(client.Call("C", "ID")));
        Assert.StartsWith("-ERR unknown command 'CLIENT'", System.Text.Encoding.ASCII.GetString(client.Call("CLIENT", "ID")));
    }
}

using System.Text;
using TieredKv.Server.Tests.Harness;
using TieredKv.TestSupport;

namespace TieredKv.Server.Tests.Integration;

/// <summary>Functions survive a restart on the same data directory, as Redis keeps them in its RDB and AOF.</summary>
public sealed class FunctionPersistenceTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "tkv-functions-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); }
        catch (IOException) { }
    }

    private static string Call(TieredKvServer server, params string[] command)
    {
        using var client = new RawClient(server.Port);
        return Encoding.UTF8.GetString(client.Call(command));
    }

    [Fact]
    public void LoadedFunction_IsCallableAfterARestart()
    {
        Directory.CreateDirectory(_dir);
        using (var server = new TieredKvServer(o => o.Dir = _dir))
        {
            Assert.Equal("$3\r\nlib\r\n", Call(server, "FUNCTION", "LOAD", "#!lua name=lib\nredis.register_function('hello', function(keys, args) return 'hi ' .. args[1] end)"));
        }
        using (var server = new TieredKvServer(o => o.Dir = _dir))
        {
            Assert.Equal("$6\r\nhi you\r\n", Call(server, "FCALL", "hello", "0", "you"));
        }
    }

    [Fact]
    public void DeletedLibrary_StaysDeletedAfterARestart()
    {
        Directory.CreateDirectory(_dir);
        using (var server = new TieredKvServer(o => o.Dir = _dir))
        {
            Call(server, "FUNCTION", "LOAD", "#!lua name=a\nredis.register_function('fa', function() return 1 end)");
            Call(server, "FUNCTION", "LOAD", "#!lua name=b\nredis.register_function('fb', function() return 2 end)");
            Assert.Equal("+OK\r\n", Call(server, "FUNCTION", "DELETE", "a"));
        }
        using (var server = new TieredKvServer(o => o.Dir = _dir))
        {
            Assert.Equal("-ERR Function not found\r\n", Call(server, "FCALL", "fa", "0"));
            Assert.Equal(":2\r\n", Call(server, "FCALL", "fb", "0"));
        }
    }

    [Fact]
    public void DumpedLibraries_RestoreOnAnotherServer()
    {
        byte[] payload;
        using (var source = new TieredKvServer())
        {
            Call(source, "FUNCTION", "LOAD", "#!lua name=d\nredis.register_function('fd', function() return 7 end)");
            using var client = new RawClient(source.Port);
            string reply = Encoding.Latin1.GetString(client.Call("FUNCTION", "DUMP"));
            int start = reply.IndexOf("\r\n", StringComparison.Ordinal) + 2;
            payload = Encoding.Latin1.GetBytes(reply[start..^2]);
        }
        using var target = new TieredKvServer();
        using var targetClient = new RawClient(target.Port);
        Assert.Equal("+OK\r\n", Encoding.UTF8.GetString(targetClient.Call([Encoding.ASCII.GetBytes("FUNCTION"), Encoding.ASCII.GetBytes("RESTORE"), payload])));
        Assert.Equal(":7\r\n", Call(target, "FCALL", "fd", "0"));
    }
}

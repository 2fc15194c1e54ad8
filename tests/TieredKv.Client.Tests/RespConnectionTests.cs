using System.Net.Sockets;
using System.Text;

namespace TieredKv.Client.Tests;

public sealed class RespConnectionTests
{
    private static byte[] B(string s) => Encoding.UTF8.GetBytes(s);

    [Fact]
    public void Read_ParsesEveryResp2Kind()
    {
        using var server = new CannedServer(B("+OK\r\n-ERR bad\r\n:-42\r\n$5\r\nhe\r\no\r\n$-1\r\n*-1\r\n*2\r\n$1\r\na\r\n:1\r\n$0\r\n\r\n"));
        using var c = RespConnection.Connect("127.0.0.1", server.Port);
        var ok = c.Read();
        Assert.Equal((RespReplyKind.SimpleString, "OK"), (ok.Kind, ok.Text));
        var error = c.Read();
        Assert.True(error.IsError);
        Assert.Equal("ERR bad", error.Text);
        Assert.Equal(-42, c.Read().Integer);
        Assert.Equal("he\r\no", Encoding.UTF8.GetString(c.Read().Bulk!));
        Assert.True(c.Read().IsNil);
        Assert.True(c.Read().IsNil);
        var array = c.Read();
        Assert.Equal(RespReplyKind.Array, array.Kind);
        Assert.Equal("a", array.Items![0].ToString());
        Assert.Equal(1, array.Items[1].Integer);
        Assert.Empty(c.Read().Bulk!);
    }

    [Fact]
    public void Read_ParsesResp3Kinds()
    {
        using var server = new CannedServer(B(",1.5\r\n#t\r\n_\r\n(12345678901234567890\r\n=7\r\ntxt:abc\r\n!5\r\nERR x\r\n%1\r\n+k\r\n:1\r\n~1\r\n+m\r\n>2\r\n+message\r\n+hi\r\n|1\r\n+key\r\n+ttl\r\n:7\r\n"));
        using var c = RespConnection.Connect("127.0.0.1", server.Port);
        var d = c.Read();
        Assert.Equal((RespReplyKind.Double, "1.5"), (d.Kind, d.Text));
        Assert.Equal((RespReplyKind.Boolean, 1L), (c.Read() is var b ? (b.Kind, b.Integer) : default));
        Assert.True(c.Read().IsNil);
        Assert.Equal("12345678901234567890", c.Read().Text);
        Assert.Equal("abc", c.Read().ToString());
        Assert.Equal("ERR x", c.Read().Text);
        var map = c.Read();
        Assert.Equal(RespReplyKind.Map, map.Kind);
        Assert.Equal(2, map.Items!.Count);
        Assert.Equal(RespReplyKind.Set, c.Read().Kind);
        Assert.Equal(RespReplyKind.Push, c.Read().Kind);
        Assert.Equal(7, c.Read().Integer); // the attribute before it is skipped
    }

    [Fact]
    public void ReadRaw_ReturnsExactlyTheReplyBytes()
    {
        const string nested = "*3\r\n$3\r\nabc\r\n%1\r\n+k\r\n*1\r\n:5\r\n_\r\n";
        using var server = new CannedServer(B(nested + "+next\r\n"));
        using var c = RespConnection.Connect("127.0.0.1", server.Port);
        Assert.Equal(nested, Encoding.UTF8.GetString(c.ReadRaw()));
        Assert.Equal("next", c.Read().Text);
    }

    [Fact]
    public void Send_EncodesBytesStringsAndNumbersAsBulkStrings()
    {
        using var server = new CannedServer(B("+OK\r\n"), requestBytesBeforeReplying: 1);
        using (var c = RespConnection.Connect("127.0.0.1", server.Port))
            Assert.Equal("OK", c.Call("SET", new byte[] { 0, 255 }, "é", 42, -7L, 1.5).Text);
        byte[] expected = [.. B("*6\r\n$3\r\nSET\r\n$2\r\n"), 0, 255, .. B("\r\n$2\r\né\r\n$2\r\n42\r\n$2\r\n-7\r\n$3\r\n1.5\r\n")];
        Assert.Equal(expected, server.Received());
    }

    [Fact]
    public void Read_OfALargeBulkString_SpansManyBuffers()
    {
        string value = new('v', 300_000);
        using var server = new CannedServer(B($"${value.Length}\r\n{value}\r\n:1\r\n"));
        using var c = RespConnection.Connect("127.0.0.1", server.Port, new RespConnectionOptions { BufferSize = 1024 });
        Assert.Equal(value, c.Read().ToString());
        Assert.Equal(1, c.Read().Integer);
    }

    [Fact]
    public void Read_OfABrokenReply_ThrowsRespException()
    {
        using var server = new CannedServer(B("?what\r\n"));
        using var c = RespConnection.Connect("127.0.0.1", server.Port);
        Assert.Contains("unexpected reply line '?what'", Assert.Throws<RespException>(() => c.Read()).Message);
    }

    [Fact]
    public void Read_AfterTheServerCloses_ThrowsEndOfStream()
    {
        using var server = new CannedServer(B("+OK\r\n"), close: true);
        using var c = RespConnection.Connect("127.0.0.1", server.Port);
        Assert.Equal("OK", c.Read().Text);
        Assert.True(c.WaitForClose());
        Assert.Throws<EndOfStreamException>(() => c.Read());
    }

    [Fact]
    public void Connect_ToAPortNobodyListensOn_ThrowsSocketException()
    {
        Assert.Throws<SocketException>(() => RespConnection.Connect("127.0.0.1", LoopbackPort.Free()));
    }

    [SkippableFact]
    public void Pipeline_OfManyCommandsInFlight_ReadsEveryReplyInOrder()
    {
        Skip.IfNot(RedisServer.Installed, RedisServer.SkipMessage);
        using var redis = new RedisServer();
        using var c = redis.Connect();
        const int n = 20_000;
        for (int i = 0; i < n; i++) c.Send("SET", $"k{i}", i);
        for (int i = 0; i < n; i++) Assert.Equal("OK", c.Read().Text);
        for (int i = 0; i < n; i++) c.Send("GET", $"k{i}");
        for (int i = 0; i < n; i++) Assert.Equal(i.ToString(System.Globalization.CultureInfo.InvariantCulture), c.Read().ToString());
    }

    [SkippableFact]
    public void Connect_WithAPassword_Authenticates_AndAWrongOneThrows()
    {
        Skip.IfNot(RedisServer.Installed, RedisServer.SkipMessage);
        using var redis = new RedisServer(password: "s3cret");
        using (var c = redis.Connect()) Assert.Equal("PONG", c.Call("PING").Text);
        var e = Assert.Throws<RespErrorException>(() => RespConnection.Connect("127.0.0.1", redis.Port, new RespConnectionOptions { Password = "wrong" }));
        Assert.StartsWith("WRONGPASS", e.ErrorText);
        using var anonymous = RespConnection.Connect("127.0.0.1", redis.Port);
        Assert.StartsWith("NOAUTH", Assert.Throws<RespErrorException>(() => anonymous.CallOrThrow("GET", "k")).ErrorText);
    }
}

using System.Buffers;
using System.Text;
using TieredKv.Server.Protocol;

namespace TieredKv.Server.Tracking;

/// <summary>The messages of client-side caching, encoded as Redis 7.0 sends them.</summary>
internal static class InvalidationFrames
{
    /// <summary>RESP3: <c>&gt;2 invalidate [keys]</c>, or a null for "everything" (a flush).</summary>
    public static byte[] Push(List<string>? keys) => Encode(3, w =>
    {
        w.WritePushHeader(2);
        w.WriteBulk("invalidate"u8);
        WriteKeys(w, keys);
    });

    /// <summary>RESP2, to a redirect client subscribed to <c>__redis__:invalidate</c>: a pub/sub message whose payload is the key array (or a null).</summary>
    public static byte[] Message(List<string>? keys) => Encode(2, w =>
    {
        w.WriteArrayHeader(3);
        w.WriteBulk("message"u8);
        w.WriteBulk(TrackingTable.RedirectChannel);
        WriteKeys(w, keys);
    });

    /// <summary>RESP3, to a client whose redirect client went away.</summary>
    public static byte[] RedirectBroken(long redirectId) => Encode(3, w =>
    {
        w.WritePushHeader(2);
        w.WriteBulk("tracking-redir-broken"u8);
        w.WriteInteger(redirectId);
    });

    private static void WriteKeys(RespWriter w, List<string>? keys)
    {
        if (keys == null)
        {
            w.WriteNull();
            return;
        }
        w.WriteArrayHeader(keys.Count);
        foreach (var key in keys) w.WriteBulk(Encoding.Latin1.GetBytes(key));
    }

    private static byte[] Encode(int protocol, Action<RespWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(64);
        write(new RespWriter(buffer) { Protocol = protocol });
        return buffer.WrittenSpan.ToArray();
    }
}

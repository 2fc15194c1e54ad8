using System.Buffers;
using System.IO.Pipelines;
using System.Threading.Channels;
using TieredKv.Server.Config;

namespace TieredKv.Server.PubSub;

/// <summary>
/// A connection's path for bytes produced by other threads (pub/sub messages): publishers append
/// encoded frames without blocking, and one writer task per connection copies them to the socket.
/// </summary>
/// <remarks>
/// The connection's pipe has one writer at a time: the read loop and this drain both take
/// <see cref="Gate"/> around writing and flushing, so replies and messages never interleave
/// mid-frame and keep their order. Publishers never take the gate, so a subscriber whose socket
/// is full only stalls its own drain; its queue grows until it breaks the pubsub class's
/// client-output-buffer-limit (over the hard limit, or over the soft limit for longer than its
/// seconds) and then it is disconnected, as Redis does. The limit is read at each message, so
/// CONFIG SET applies to connected clients too.
/// </remarks>
internal sealed class ClientOutbox(Func<OutputBufferLimit> limit, Action onOverflow)
{
    private readonly Channel<byte[]> _queue = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true });
    private long _queuedBytes;
    private int _overflowed;
    private long _aboveSoftSince; // Environment.TickCount64 when the queue went over the soft limit; 0 while under it

    /// <summary>Held by whoever writes to and flushes the connection's pipe.</summary>
    public SemaphoreSlim Gate { get; } = new(1, 1);

    /// <summary>Bytes queued and not yet flushed to the socket (CLIENT LIST's omem, roughly).</summary>
    public long QueuedBytes => Interlocked.Read(ref _queuedBytes);

    /// <summary>Queues one encoded frame; false (and the client is being disconnected) when over the limit.</summary>
    public bool Enqueue(byte[] frame)
    {
        if (Volatile.Read(ref _overflowed) != 0) return false;
        long queued = Interlocked.Add(ref _queuedBytes, frame.Length);
        var current = limit();
        long now = Environment.TickCount64;
        if (current.SoftBytes > 0 && queued > current.SoftBytes) Interlocked.CompareExchange(ref _aboveSoftSince, now, 0);
        long since = Interlocked.Read(ref _aboveSoftSince);
        if (current.IsExceeded(queued, since == 0 ? null : since, now))
        {
            // Only the first overflow disconnects; later publishers just drop.
            if (Interlocked.Exchange(ref _overflowed, 1) == 0) onOverflow();
            return false;
        }
        return _queue.Writer.TryWrite(frame);
    }

    /// <summary>Copies queued frames to <paramref name="writer"/> until the connection closes.</summary>
    public async Task DrainAsync(PipeWriter writer, CancellationToken cancel)
    {
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync(cancel))
        {
            await Gate.WaitAsync(cancel);
            try
            {
                long written = 0;
                while (reader.TryRead(out var frame))
                {
                    writer.Write(frame);
                    written += frame.Length;
                }
                await writer.FlushAsync(cancel);
                // Back under the soft limit: its timer starts again next time, as Redis's does.
                if (Interlocked.Add(ref _queuedBytes, -written) <= limit().SoftBytes) Interlocked.Exchange(ref _aboveSoftSince, 0);
            }
            finally
            {
                Gate.Release();
            }
        }
    }

    public void Complete() => _queue.Writer.TryComplete();
}

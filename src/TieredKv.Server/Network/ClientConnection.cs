using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using TieredKv.Keyspace;
using TieredKv.Server.Dispatch;
using TieredKv.Server.Protocol;
using TieredKv.Server.PubSub;

namespace TieredKv.Server.Network;

/// <summary>
/// One client: reads requests from the socket, parses every complete command in the buffer
/// (pipelining), runs each, and flushes all their replies with one write.
/// </summary>
internal sealed class ClientConnection
{
    private readonly Socket _socket;
    private readonly ServerState _server;
    private readonly ClientSession _session;
    private readonly CommandArgs _args = new();
    private readonly CancellationTokenSource _closed = new();
    private PipeWriter? _writer;
    private long? _repliesAboveSoftSince; // when pending replies went over the soft output limit; null while under it
    private bool _outputLimitBroken;

    public ClientConnection(Socket socket, ServerState server)
    {
        _socket = socket;
        _server = server;
        _session = new ClientSession(server.NextClientId(), socket.RemoteEndPoint, socket.LocalEndPoint)
        {
            Authenticated = server.Options.RequirePass == null,
        };
        _session.Kill = () => _closed.Cancel();
        // A monitor's stream counts as a normal client's output in Redis (unlimited by default); messages as pub/sub output.
        _session.Outbox = new ClientOutbox(() => server.Monitoring.Monitors.IsMonitor(_session) ? server.Options.NormalOutputLimit : server.Options.PubSubOutputLimit, () =>
        {
            _server.Logger.LogWarning("closing client {Id} ({Remote}): pubsub output over client-output-buffer-limit", _session.Id, _session.Remote);
            // Asynchronously: this runs on the publisher's thread, which must not run our continuations.
            _ = _closed.CancelAsync();
        });
    }

    public async Task RunAsync()
    {
        _server.Clients[_session.Id] = _session;
        using var stream = new NetworkStream(_socket, ownsSocket: true);
        // Zero-byte reads: an idle connection holds no read buffer until data arrives (16 KB each otherwise).
        var reader = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 16 * 1024, useZeroByteReads: true));
        var writer = _writer = PipeWriter.Create(stream, new StreamPipeWriterOptions(minimumBufferSize: 16 * 1024));
        var reply = new RespWriter(writer);
        var context = new CommandContext(_server, _session, _args, reply);
        var outbox = _session.Outbox!;
        var drain = outbox.DrainAsync(writer, _closed.Token);
        long carried = 0; // bytes of the buffer left unconsumed by the last round: not read again
        try
        {
            while (!_session.CloseRequested)
            {
                var result = await reader.ReadAsync(_closed.Token);
                var buffer = result.Buffer;
                _server.Monitoring.CountRead(buffer.Length - carried, buffer.Length);
                SequencePosition consumed;
                bool fatal;
                Task? wakeUp = null;
                bool pausedUntilEnd = false;
                // Published messages are written by the outbox's drain: share the pipe one writer at a time.
                await outbox.Gate.WaitAsync(_closed.Token);
                try
                {
                    consumed = ProcessBuffer(buffer, context, out fatal);
                    carried = buffer.Slice(consumed).Length;
                    if (_session.PendingBlock is { } block)
                    {
                        // The blocking command stays unconsumed: examining only up to it makes the next read return at once.
                        _session.PendingBlock = null;
                        reader.AdvanceTo(consumed, consumed);
                        wakeUp = _server.Blocked.Block(_session.Id, block) ?? Task.CompletedTask;
                    }
                    else if (_session.PendingPause is { } pauseEnd)
                    {
                        // CLIENT PAUSE: as a blocked command, the paused one stays unconsumed and runs once the pause ends.
                        _session.PendingPause = null;
                        reader.AdvanceTo(consumed, consumed);
                        wakeUp = pauseEnd;
                        pausedUntilEnd = true;
                    }
                    else reader.AdvanceTo(consumed, buffer.End);
                    // Replies go out only once the batch's writes are durable: one WAL write for the whole pipeline.
                    if (!await CommitWritesAsync()) break;
                    if (writer.CanGetUnflushedBytes && writer.UnflushedBytes > 0) _server.Monitoring.CountWrite(writer.UnflushedBytes);
                    if (_outputLimitBroken || !await FlushRepliesAsync(writer))
                    {
                        // As Redis frees such a client: its pending replies are never sent.
                        _server.Logger.LogWarning("closing client {Id} ({Remote}): output over client-output-buffer-limit ({Class})",
                            _session.Id, _session.Remote, _session.Subscribed ? "pubsub" : "normal");
                        _socket.Close();
                        break;
                    }
                }
                finally
                {
                    outbox.Gate.Release();
                }
                if (wakeUp != null)
                {
                    // A pause is waited out whole, whatever a blocked command's own deadline.
                    if (pausedUntilEnd) await wakeUp.WaitAsync(_closed.Token);
                    else await WaitForKeysAsync(wakeUp);
                    continue;
                }
                if (fatal || result.IsCompleted) break;
                if (buffer.Slice(consumed).Length > _server.Options.ClientQueryBufferLimit)
                {
                    _server.Logger.LogWarning("closing client {Id} ({Remote}): query buffer over client-query-buffer-limit", _session.Id, _session.Remote);
                    break;
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
        {
            // The client went away or was killed.
        }
        finally
        {
            _server.Clients.TryRemove(_session.Id, out _);
            _server.PubSub.RemoveAll(_session);
            _server.Watches.UnwatchAll(_session.Transaction);
            _server.Blocked.Unblock(_session.Id);
            if (_session.Tracking.Enabled) _server.Tracking.Disable(_session);
            _server.Monitoring.Monitors.Remove(_session);
            outbox.Complete();
            _closed.Cancel();
            try { await drain; }
            catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or ObjectDisposedException) { }
            await reader.CompleteAsync();
            try { await writer.CompleteAsync(); }
            catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException) { } // the socket is already gone
        }
    }

    /// <summary>Waits, holding no thread, until a key of the blocked command is written, its deadline passes, or the client goes.</summary>
    private async Task WaitForKeysAsync(Task wakeUp)
    {
        // A client that closes its socket while blocked is gone at once, as Redis frees it on the EOF: were it woken
        // first, its command would run again and pop an element that no one receives.
        using var stopWatching = new CancellationTokenSource();
        var watch = CloseWatch(stopWatching.Token);
        try
        {
            long deadline = _session.BlockDeadline ?? 0;
            if (deadline == 0)
            {
                await wakeUp.WaitAsync(_closed.Token);
                return;
            }
            long remaining = deadline - Environment.TickCount64;
            if (remaining <= 0) return;
            try
            {
                await wakeUp.WaitAsync(TimeSpan.FromMilliseconds(remaining), _closed.Token);
            }
            catch (TimeoutException)
            {
                // The command runs once more and answers its timeout.
            }
        }
        finally
        {
            await stopWatching.CancelAsync();
            await watch; // the peek is over before the pipe reads the socket again
        }
    }

    /// <summary>
    /// Peeks at the socket while the client is blocked: zero bytes means the client closed it, and the connection is
    /// closed. Bytes mean the client pipelined more commands; its end is then not watched any further.
    /// </summary>
    private async Task CloseWatch(CancellationToken stop)
    {
        var probe = new byte[1];
        try
        {
            int read = await _socket.ReceiveAsync(probe, SocketFlags.Peek, stop);
            if (read == 0) await _closed.CancelAsync();
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopped because the client was woken, or the socket is already gone: nothing to do.
        }
    }

    private Config.OutputBufferLimit OutputLimit() =>
        _session.Subscribed ? _server.Options.PubSubOutputLimit : _server.Options.NormalOutputLimit;

    /// <summary>After each command: whether the replies waiting to be sent break the client's output buffer limit.</summary>
    private bool OutputOverLimit()
    {
        var limit = OutputLimit();
        if (limit.HardBytes <= 0 && limit.SoftBytes <= 0) return false; // normal clients by default
        long pending = _writer!.CanGetUnflushedBytes ? _writer.UnflushedBytes : 0;
        long now = Environment.TickCount64;
        if (limit.SoftBytes > 0 && pending > limit.SoftBytes) _repliesAboveSoftSince ??= now;
        else _repliesAboveSoftSince = null;
        return limit.IsExceeded(pending, _repliesAboveSoftSince, now);
    }

    /// <summary>
    /// Sends the batch's replies. When they are over the soft limit, the client must take them within the
    /// limit's seconds (counted from when they went over it), else false: the client is too slow.
    /// </summary>
    private async ValueTask<bool> FlushRepliesAsync(PipeWriter writer)
    {
        if (_repliesAboveSoftSince is not { } since)
        {
            await writer.FlushAsync(_closed.Token);
            return true;
        }
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(_closed.Token);
        deadline.CancelAfter(TimeSpan.FromMilliseconds(Math.Max(1, since + OutputLimit().SoftSeconds * 1000 - Environment.TickCount64)));
        try
        {
            await writer.FlushAsync(deadline.Token);
        }
        catch (OperationCanceledException) when (!_closed.IsCancellationRequested)
        {
            return false;
        }
        _repliesAboveSoftSince = null;
        return true;
    }

    /// <summary>False when the writes could not be made durable: the connection closes without sending their replies.</summary>
    private async ValueTask<bool> CommitWritesAsync()
    {
        // Only a connection with writes of its own waits for the WAL: after a failed commit, the writes it
        // did not cover stay undurable, and a reader's commit would fail on them too.
        if (!_session.WroteSinceCommit) return true;
        _session.WroteSinceCommit = false;
        try
        {
            // Under always this waits, holding no thread, for the group fsync that serves every connection waiting.
            await _server.Store.CommitWritesAsync();
            return true;
        }
        catch (IOException e)
        {
            _server.Logger.LogError(e, "closing client {Id}: its writes could not be made durable", _session.Id);
            _socket.Close(0); // drop the unsent replies: those writes were never acknowledged
            return false;
        }
    }

    private SequencePosition ProcessBuffer(ReadOnlySequence<byte> buffer, CommandContext context, out bool fatal)
    {
        fatal = false;
        var seq = new SequenceReader<byte>(buffer);
        while (!_session.CloseRequested)
        {
            var start = seq.Position;
            var status = RespParser.TryParse(ref seq, _args, _server.Options.ProtoMaxBulkLen, _session.Authenticated, out string? error);
            if (status == ParseStatus.Incomplete) break;
            if (status == ParseStatus.Error)
            {
                context.Reply.WriteError(error!);
                _server.Monitoring.Errors.Count(error!);
                _server.Logger.LogDebug("protocol error from client {Id}: {Error}", _session.Id, error);
                fatal = true;
                break;
            }
            if (_args.Count == 0) continue;
            Dispatcher.Execute(context);
            if (OutputOverLimit())
            {
                _outputLimitBroken = true;
                break;
            }
            if (_session.PendingBlock != null || _session.PendingPause != null)
            {
                // Blocked: leave the command in the buffer, to be parsed and run again once woken.
                _args.Trim();
                return start;
            }
            if (_session.BlockDeadline != null)
            {
                _session.BlockDeadline = null;
                _session.BlockedStreamIds = null;
                _server.Blocked.Unblock(_session.Id);
            }
        }
        _args.Trim();
        return seq.Position;
    }
}

namespace TieredKv.Tools;

/// <summary>
/// A read-only view of a file that tells a <see cref="ProgressDisplay"/> how far reading has got, so verbs
/// that hand the stream to a library reader (RdbReader, RdbImporter) still show progress by input bytes.
/// </summary>
public sealed class ProgressStream(Stream inner, ProgressDisplay progress) : Stream
{
    public override bool CanRead => true;
    public override bool CanSeek => inner.CanSeek;
    public override bool CanWrite => false;
    public override long Length => inner.Length;

    public override long Position
    {
        get => inner.Position;
        set => inner.Position = value;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    /// <summary>Added to the position when reporting, for a job that reads the file more than once.</summary>
    public long ReportedBase { get; set; }

    /// <summary>Shown after the numbers (e.g. the pass under way).</summary>
    public string? Detail { get; set; }

    public override int Read(Span<byte> buffer)
    {
        int n = inner.Read(buffer);
        progress.Update(ReportedBase + inner.Position, Detail);
        return n;
    }

    public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);
    public override void Flush() { }
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }
}

namespace TieredKv.Storage;

/// <summary>
/// A write was not applied: its WAL record could not be written or made durable, or the database
/// refuses writes after such a failure until <see cref="Db.Resume"/> succeeds. The write is not
/// acknowledged; reads keep working.
/// </summary>
public sealed class StorageWriteException(string message, Exception? inner) : IOException(message, inner)
{
    /// <summary>The underlying failure's own message (for example "No space left on device").</summary>
    public string Reason => RootCause(this).Message;

    private static Exception RootCause(Exception e)
    {
        while (e.InnerException is { } inner) e = inner;
        return e;
    }
}

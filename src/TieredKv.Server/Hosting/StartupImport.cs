using Microsoft.Extensions.Logging;
using TieredKv.Rdb;
using TieredKv.Rdb.Format;
using TieredKv.Server.Scripting;

namespace TieredKv.Server.Hosting;

/// <summary>
/// tieredkv-import-rdb: loads an RDB file into the store before the server listens, only when every database is
/// empty, so a restart with the option still set can never merge an old file into newer data. The importer reads
/// the whole file before writing anything: a damaged file leaves the store empty and the server stopped.
/// </summary>
internal static class StartupImport
{
    private const int LoggedSkips = 10;

    public static void Run(TieredKvStore store, string path, string dataDirectory, ILogger logger)
    {
        string full = Path.GetFullPath(path);
        for (int db = 0; db < store.DatabaseCount; db++)
        {
            long keys = store[db].DbSize();
            if (keys > 0) throw Fail(logger, $"not importing {full}: the store is not empty (database {db} has {keys} keys); remove tieredkv-import-rdb or start on an empty dir");
        }
        var functions = new FunctionLibraryFile(dataDirectory);
        int loadedLibraries = functions.Read().Count;
        if (loadedLibraries > 0) throw Fail(logger, $"not importing {full}: the store is not empty ({loadedLibraries} function libraries are loaded); remove tieredkv-import-rdb or start on an empty dir");
        RdbImportResult result;
        try
        {
            using var file = new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
            result = RdbImporter.Import(file, store);
            store.CommitWrites();
            // The libraries are compiled when the first function command loads them, as after any restart.
            if (result.FunctionLibraries.Count > 0) functions.Write(result.FunctionLibraries);
        }
        catch (RdbFormatException e)
        {
            throw Fail(logger, $"not importing {full}: the RDB file is damaged at byte offset {e.Offset}: {e.Problem}; nothing was imported", e);
        }
        catch (IOException e)
        {
            throw Fail(logger, $"cannot import {full}: {e.Message}", e);
        }
        foreach (var warning in result.Warnings) logger.LogWarning("import of {File}: {Warning}", full, warning);
        // The first few by name; an old file may hold millions of expired keys.
        foreach (var skipped in result.Skipped.Take(LoggedSkips))
            logger.LogWarning("import of {File}: skipped key '{Key}' of db {Db}: {Reason}", full, System.Text.Encoding.UTF8.GetString(skipped.Key), skipped.Db, skipped.Reason);
        logger.LogInformation("imported {Keys} keys and {Libraries} function libraries from {File} ({Skipped} keys skipped)", result.Imported, result.FunctionLibraries.Count, full, result.Skipped.Count);
    }

    private static StartupException Fail(ILogger logger, string message, Exception? cause = null)
    {
        logger.LogError("{Message}", message);
        return new StartupException(message, cause);
    }
}

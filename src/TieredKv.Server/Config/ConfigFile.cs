namespace TieredKv.Server.Config;

/// <summary>Reads a redis.conf-style file: one directive per line, <c>name value…</c>, <c>#</c> comments, quoted values.</summary>
internal static class ConfigFile
{
    public static void Apply(string path, ServerOptions options)
    {
        int lineNumber = 0;
        foreach (var raw in File.ReadAllLines(path))
        {
            lineNumber++;
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#') continue;
            int space = line.IndexOfAny([' ', '\t']);
            string name = (space < 0 ? line : line[..space]).ToLowerInvariant();
            string rest = space < 0 ? "" : line[(space + 1)..].Trim();
            // rename-command has two arguments, either of which may be quoted: it splits them itself.
            string value = name == "rename-command" ? rest : Unquote(rest);
            var error = options.Set(name, value);
            if (error != null) throw new FormatException($"{path}:{lineNumber}: {error}");
        }
        options.ConfigFile = Path.GetFullPath(path);
    }

    /// <summary>Writes the current settings back (CONFIG REWRITE): known directives are replaced in place, the rest appended.</summary>
    public static void Rewrite(string path, ServerOptions options)
    {
        var lines = File.Exists(path) ? File.ReadAllLines(path).ToList() : [];
        var written = new HashSet<string>();
        for (int i = 0; i < lines.Count; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line[0] == '#') continue;
            int space = line.IndexOfAny([' ', '\t']);
            string name = (space < 0 ? line : line[..space]).ToLowerInvariant();
            if (options.Get(name) is { } value && written.Add(name)) lines[i] = $"{name} {Quote(value)}";
        }
        foreach (var name in ServerOptions.ParameterNames)
            if (!written.Contains(name) && options.Get(name) is { } value && name is not ("appendonly" or "save"))
                lines.Add($"{name} {Quote(value)}");
        // Replaced atomically and durably: the temp file fsynced, renamed over the old one, the directory fsynced.
        string full = Path.GetFullPath(path);
        string temp = full + ".tmp";
        using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            using (var writer = new StreamWriter(file, leaveOpen: true))
                foreach (var line in lines) writer.WriteLine(line);
            file.Flush(flushToDisk: true);
        }
        File.Move(temp, full, overwrite: true);
        new Storage.IO.LocalFileSystem().SyncDirectory(Path.GetDirectoryName(full)!);
    }

    private static string Unquote(string v) =>
        v.Length >= 2 && (v[0] == '"' && v[^1] == '"' || v[0] == '\'' && v[^1] == '\'') ? v[1..^1] : v;

    private static string Quote(string v) => v.Length == 0 || v.Contains(' ') ? $"\"{v}\"" : v;
}

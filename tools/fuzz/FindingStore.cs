using System.Security.Cryptography;

namespace TieredKv.Fuzz;

/// <summary>Saves each distinct finding's input as <c>DIR/TARGET/KIND-HASH.bin</c> with the exception beside it in <c>.txt</c>.</summary>
internal sealed class FindingStore(string? directory)
{
    private readonly HashSet<string> _seen = [];

    /// <summary>Findings saved so far (one per distinct signature).</summary>
    public List<string> Saved { get; } = [];

    /// <summary>Saves the input unless an equal finding (same kind, exception type and throwing frame) was saved already; returns its path or null.</summary>
    public string? Save(string target, byte[] input, ExecutionOutcome outcome)
    {
        string key = $"{outcome.Finding}:{outcome.Error?.GetType().FullName}:{ThrowSite(outcome.Error)}";
        if (!_seen.Add(key)) return null;
        string name = $"{outcome.Finding!.Value.ToString().ToLowerInvariant()}-{Convert.ToHexString(SHA1.HashData(input))[..12].ToLowerInvariant()}";
        string text = $"target: {target}\nkind: {outcome.Finding}\ninput bytes: {input.Length}\n{outcome.Describe()}\n";
        if (directory == null)
        {
            Saved.Add(name + "\n" + text);
            return name;
        }
        string dir = Path.Combine(directory, target);
        Directory.CreateDirectory(dir);
        string path = Path.Combine(dir, name + ".bin");
        File.WriteAllBytes(path, input);
        File.WriteAllText(Path.ChangeExtension(path, ".txt"), text);
        Saved.Add(path);
        return path;
    }

    private static string ThrowSite(Exception? e)
    {
        if (e?.StackTrace is not { } trace) return "";
        using var lines = new StringReader(trace);
        return lines.ReadLine()?.Trim() ?? "";
    }
}

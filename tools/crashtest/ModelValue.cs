using System.Globalization;
using System.Text;

namespace TieredKv.CrashTest;

/// <summary>What the model says one key holds: its content (by kind) and whether it has a TTL.</summary>
internal sealed class ModelValue
{
    public string? Text;                                   // String, Counter
    public SortedDictionary<string, string>? Fields;       // Hash
    public List<string>? Items;                            // List, head first; Stream, id=value oldest first
    public Dictionary<string, long>? Scores;               // SortedSet (integer scores: exact text)
    public SortedSet<string>? Members;                     // Set
    public bool HasTtl;

    public ModelValue Clone() => new()
    {
        Text = Text,
        Fields = Fields == null ? null : new SortedDictionary<string, string>(Fields, StringComparer.Ordinal),
        Items = Items == null ? null : [.. Items],
        Scores = Scores == null ? null : new Dictionary<string, long>(Scores),
        Members = Members == null ? null : new SortedSet<string>(Members, StringComparer.Ordinal),
        HasTtl = HasTtl,
    };

    /// <summary>The text <see cref="ActualState"/> renders for a key holding this value; "(none)" for an absent key.</summary>
    public static string Render(ModelValue? value)
    {
        if (value == null) return Absent;
        var sb = new StringBuilder();
        if (value.Text != null) sb.Append(value.Text);
        if (value.Fields != null) sb.AppendJoin(',', value.Fields.Select(f => f.Key + "=" + f.Value));
        if (value.Items != null) sb.AppendJoin(',', value.Items);
        if (value.Scores != null)
            sb.AppendJoin(',', value.Scores.OrderBy(s => s.Value).ThenBy(s => s.Key, StringComparer.Ordinal)
                .Select(s => s.Key + "=" + s.Value.ToString(CultureInfo.InvariantCulture)));
        if (value.Members != null) sb.AppendJoin(',', value.Members);
        if (value.HasTtl) sb.Append(" (ttl)");
        return sb.ToString();
    }

    public const string Absent = "(none)";
}

using System.Text;

namespace TieredKv.Server.Config;

/// <summary>Splits a directive's arguments as redis.conf does: by blanks, with "double" or 'single' quotes around an argument (so <c>""</c> is an empty one).</summary>
internal static class ConfigWords
{
    public static List<string> Split(string line)
    {
        var words = new List<string>();
        int i = 0;
        while (true)
        {
            while (i < line.Length && char.IsWhiteSpace(line[i])) i++;
            if (i == line.Length) return words;
            var word = new StringBuilder();
            if (line[i] is '"' or '\'')
            {
                char quote = line[i++];
                while (i < line.Length && line[i] != quote) word.Append(line[i++]);
                if (i == line.Length) throw new FormatException("unbalanced quotes in configuration line");
                i++;
            }
            else
            {
                while (i < line.Length && !char.IsWhiteSpace(line[i])) word.Append(line[i++]);
            }
            words.Add(word.ToString());
        }
    }
}

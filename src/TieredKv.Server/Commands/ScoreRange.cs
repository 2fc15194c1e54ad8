using TieredKv.Keyspace;

namespace TieredKv.Server.Commands;

/// <summary>Parses the score and lexicographic range bounds of the sorted-set commands with Redis's errors.</summary>
internal static class ScoreRange
{
    /// <summary>A score bound: a float (inf, -inf allowed) with an optional "(" for exclusive.</summary>
    public static ScoreBound ParseScore(ReadOnlySpan<byte> text)
    {
        bool exclusive = text.Length > 0 && text[0] == (byte)'(';
        if (exclusive) text = text[1..];
        if (!KvDatabaseParsing.TryParseDouble(text, out double value)) throw new KvException("ERR min or max is not a float");
        return new ScoreBound(value, exclusive);
    }

    public static (ScoreBound Min, ScoreBound Max) Scores(CommandContext c, int minIndex, int maxIndex) =>
        (ParseScore(c.Args[minIndex]), ParseScore(c.Args[maxIndex]));

    /// <summary>Both bounds are parsed before either error is reported, as Redis reports one message for both.</summary>
    public static (LexBound Min, LexBound Max) Lex(CommandContext c, int minIndex, int maxIndex) =>
        (LexBound.Parse(c.Args[minIndex]), LexBound.Parse(c.Args[maxIndex]));
}

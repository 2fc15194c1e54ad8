using TieredKv.Keyspace;
using TieredKv.Server.Dispatch;
using TieredKv.Numbers;
using TieredKv.Types.SortedSets;

namespace TieredKv.Server.Commands.Arguments;

/// <summary>Parses the score and lexicographic range bounds of the sorted-set commands with Redis's errors.</summary>
internal static class ScoreRange
{
    /// <summary>A score bound: a float (inf, -inf allowed) with an optional "(" for exclusive.</summary>
    /// <exception cref="KvException">ERR min or max is not a float.</exception>
    public static ScoreBound ParseScore(ReadOnlySpan<byte> text)
    {
        bool exclusive = text.Length > 0 && text[0] == (byte)'(';
        if (exclusive) text = text[1..];
        // Redis calls strtod directly here: an empty bound is 0, leading white space is skipped and
        // an out-of-range literal becomes ±inf or 0 instead of an error.
        if (text.IsEmpty) return new ScoreBound(0, exclusive);
        int start = 0;
        while (start < text.Length && RedisNumbers.IsSpace(text[start])) start++;
        if (start == text.Length || !RedisNumbers.TryParseStrtod(text[start..], out double value, out _))
            throw new KvException("ERR min or max is not a float");
        return new ScoreBound(value, exclusive);
    }

    public static (ScoreBound Min, ScoreBound Max) Scores(CommandContext c, int minIndex, int maxIndex) =>
        (ParseScore(c.Args[minIndex]), ParseScore(c.Args[maxIndex]));

    /// <summary>Both bounds are parsed before either error is reported, as Redis reports one message for both.</summary>
    public static (LexBound Min, LexBound Max) Lex(CommandContext c, int minIndex, int maxIndex) =>
        (LexBound.Parse(c.Args[minIndex]), LexBound.Parse(c.Args[maxIndex]));
}

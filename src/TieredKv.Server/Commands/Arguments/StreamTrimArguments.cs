using TieredKv.Keyspace;
using TieredKv.Server.Dispatch;

namespace TieredKv.Server.Commands.Arguments;

/// <summary>XADD's and XTRIM's options as Redis's streamParseAddOrTrimArgsOrReply reads them, with its errors.</summary>
internal sealed record StreamTrimArguments(StreamTrimOptions Trim, bool NoMkStream, int IdIndex)
{
    /// <summary>Redis's LIMIT for <c>~</c> without one: 100 × stream-node-max-entries (100).</summary>
    private const long DefaultApproximateLimit = 100 * 100;

    /// <summary>Parses from argument 2; for XADD, stops at the ID (<see cref="IdIndex"/>; the argument count when there is none).</summary>
    public static StreamTrimArguments Parse(CommandContext c, bool xadd)
    {
        var strategy = StreamTrimStrategy.None;
        bool approximate = false, limitGiven = false, noMkStream = false;
        long maxLen = 0, limit = 0;
        StreamId minId = default;
        int i = 2;
        for (; i < c.ArgCount; i++)
        {
            int more = c.ArgCount - 1 - i;
            var opt = c.Args[i];
            if (xadd && opt.Length == 1 && opt[0] == '*') break;
            bool isMaxLen = c.Args.Is(i, "MAXLEN"u8), isMinId = c.Args.Is(i, "MINID"u8);
            if ((isMaxLen || isMinId) && more > 0)
            {
                if (strategy != StreamTrimStrategy.None)
                    throw new KvException("ERR syntax error, MAXLEN and MINID options at the same time are not compatible");
                approximate = false;
                var next = c.Args[i + 1];
                if (more >= 2 && next.Length == 1 && next[0] == '~')
                {
                    approximate = true;
                    i++;
                }
                else if (more >= 2 && next.Length == 1 && next[0] == '=') i++;
                if (isMaxLen)
                {
                    maxLen = c.Integer(i + 1);
                    if (maxLen < 0) throw new KvException("ERR The MAXLEN argument must be >= 0.");
                    strategy = StreamTrimStrategy.MaxLen;
                }
                else
                {
                    minId = StreamIdArguments.Strict(c, i + 1);
                    strategy = StreamTrimStrategy.MinId;
                }
                i++;
            }
            else if (c.Args.Is(i, "LIMIT"u8) && more > 0)
            {
                limit = c.Integer(i + 1);
                if (limit < 0) throw new KvException("ERR The LIMIT argument must be >= 0.");
                limitGiven = true;
                i++;
            }
            else if (xadd && c.Args.Is(i, "NOMKSTREAM"u8)) noMkStream = true;
            else if (xadd)
            {
                StreamIdArguments.ForAdd(opt); // an ID, or the syntax error Redis reports as an invalid ID
                break;
            }
            else throw CommandContext.Syntax();
        }
        if (limit != 0 && strategy == StreamTrimStrategy.None)
            throw new KvException("ERR syntax error, LIMIT cannot be used without specifying a trimming strategy");
        if (!xadd && strategy == StreamTrimStrategy.None)
            throw new KvException("ERR syntax error, XTRIM must be called with a trimming strategy");
        if (limitGiven)
        {
            if (!approximate) throw new KvException("ERR syntax error, LIMIT cannot be used without the special ~ option");
        }
        else limit = approximate ? DefaultApproximateLimit : 0;
        return new StreamTrimArguments(new StreamTrimOptions(strategy, maxLen, minId, approximate, limit), noMkStream, i);
    }
}

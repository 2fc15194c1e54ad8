using System.Buffers;
using System.Text;
using TieredKv.Server.Protocol;

namespace TieredKv.Server.Tests.Protocol;

/// <summary>Inline requests through <see cref="RespParser"/>: Redis's quoting rules, and no allocation for lines that hold nothing.</summary>
public sealed class InlineRequestTests
{
    private static List<List<string>> ParseAll(byte[] input, CommandArgs args)
    {
        var commands = new List<List<string>>();
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(input));
        while (true)
        {
            args.Clear();
            var status = RespParser.TryParse(ref reader, args, 512L << 20, authenticated: true, out string? error);
            Assert.Null(error);
            if (status != ParseStatus.Complete) return commands;
            if (args.Count > 0) commands.Add(Enumerable.Range(0, args.Count).Select(args.ToText).ToList());
        }
    }

    [Fact]
    public void InlineLine_SplitsOnSpaces_AndDecodesQuotes()
    {
        var commands = ParseAll(Encoding.ASCII.GetBytes("SET \"a b\\x41\\n\" 'it\\'s'\r\n\r\nGET  k\n"), new CommandArgs());
        Assert.Equal([["SET", "a bA\n", "it's"], ["GET", "k"]], commands);
    }

    [Fact]
    public void BlankInlineLines_AllocateNothing()
    {
        // A fuzz finding: each empty line allocated a list, ~100 bytes per byte of input.
        var input = Enumerable.Repeat((byte)'\n', 32 * 1024).ToArray();
        var args = new CommandArgs();
        ParseAll(input, args); // warm up
        long before = GC.GetAllocatedBytesForCurrentThread();
        var commands = ParseAll(input, args);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Empty(commands);
        Assert.True(allocated < 16 * 1024, $"{allocated} bytes allocated for 32 KiB of blank lines");
    }
}

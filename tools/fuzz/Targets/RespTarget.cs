using System.Buffers;
using System.Text;
using TieredKv.Server.Protocol;

namespace TieredKv.Fuzz.Targets;

/// <summary>
/// <see cref="RespRequestParser"/> over arbitrary bytes (multibulk and inline): once with the whole input in one buffer,
/// once with it arriving in chunks split at input-derived points (as partial socket reads), and the two must parse
/// the same commands; then once as a client that has not authenticated. A protocol error ends the input as it
/// ends the connection and is reported as <see cref="ProtocolErrorException"/>.
/// </summary>
internal sealed class RespTarget : IFuzzTarget
{
    public string Name => "resp";

    public long ProducedBytes => 0;

    public void Run(ReadOnlySpan<byte> input)
    {
        byte[] data = input.ToArray();
        var whole = Parse([data], authenticated: true);
        var chunked = Parse(Split(data), authenticated: true);
        if (whole != chunked)
            throw new InvariantViolationException($"chunked input parsed differently: whole {whole}, chunked {chunked}");
        var unauthenticated = Parse([data], authenticated: false);
        string? error = whole.Error ?? unauthenticated.Error;
        if (error != null) throw new ProtocolErrorException(error);
    }

    public bool IsRejection(Exception e) => e is ProtocolErrorException;

    /// <summary>Three parses, each copying arguments into a buffer that at most doubles past the input; inline splitting grows a list per argument.</summary>
    public long AllocationBudget(int inputLength, long producedBytes) => (1 << 20) + 64L * inputLength;

    public byte[] Repair(byte[] input) => input;

    public IEnumerable<(string Name, byte[] Data)> Seeds()
    {
        yield return ("ping", "*1\r\n$4\r\nPING\r\n"u8.ToArray());
        yield return ("pipeline", "*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nvalue\r\n*2\r\n$3\r\nGET\r\n$3\r\nkey\r\n*2\r\n$4\r\nINCR\r\n$1\r\nn\r\n"u8.ToArray());
        yield return ("inline", "PING\r\nSET k \"a\\x41\\n\\t\" 'it\\'s'\r\nGET k\n\r\n"u8.ToArray());
        yield return ("hello3", "*2\r\n$5\r\nHELLO\r\n$1\r\n3\r\nHELLO 3 AUTH default secret SETNAME me\r\n"u8.ToArray());
        yield return ("empty", "*0\r\n\r\n\n*1\r\n$0\r\n\r\n"u8.ToArray());
        yield return ("mixed", "*2\r\n$4\r\nECHO\r\n$2\r\nhi\r\nECHO \"quoted words\" plain\r\n*1\r\n$4\r\nQUIT\r\n"u8.ToArray());
        var big = new StringBuilder("*3\r\n$3\r\nSET\r\n$3\r\nbig\r\n$2000\r\n").Append('x', 2000).Append("\r\n");
        yield return ("bulk", Encoding.ASCII.GetBytes(big.ToString()));
        byte[] binary = [.. "*2\r\n$4\r\nECHO\r\n$8\r\n"u8, 0, 1, 0x0D, 0x0A, 0xFF, 0x80, 0x24, 0x2A, .. "\r\n"u8];
        yield return ("binary", binary);
        yield return ("partial", "*2\r\n$4\r\nECHO\r\n$10\r\nabc"u8.ToArray());
    }

    /// <summary>Cut points from a hash of the input, so every run of the same input is the same.</summary>
    private static List<ReadOnlyMemory<byte>> Split(byte[] data)
    {
        uint hash = 2166136261;
        foreach (byte b in data) hash = (hash ^ b) * 16777619;
        var random = new Random((int)hash);
        int cuts = data.Length == 0 ? 0 : random.Next(1, Math.Min(16, data.Length) + 1);
        var points = Enumerable.Range(0, cuts).Select(_ => random.Next(data.Length + 1)).Append(0).Append(data.Length).Distinct().Order().ToList();
        var chunks = new List<ReadOnlyMemory<byte>>();
        for (int i = 1; i < points.Count; i++) chunks.Add(data.AsMemory(points[i - 1], points[i] - points[i - 1]));
        return chunks;
    }

    /// <summary>Feeds the chunks one by one as a connection does, parsing every whole command as soon as it is there.</summary>
    private static ParseSummary Parse(List<ReadOnlyMemory<byte>> chunks, bool authenticated)
    {
        var parser = new RespRequestParser(RespRequestParser.DefaultMaxBulkLength, authenticated);
        ulong fingerprint = 14695981039346656037;
        int commands = 0;
        var received = new List<ReadOnlyMemory<byte>>();
        long consumed = 0;
        foreach (var chunk in chunks)
        {
            received.Add(chunk);
            var pending = ChunkedSequence.Create(received).Slice(consumed);
            while (true)
            {
                var reader = new SequenceReader<byte>(pending);
                bool complete = parser.TryParse(ref reader, out string? error);
                if (error != null) return new ParseSummary(commands, fingerprint, error, -1);
                if (!complete)
                {
                    if (reader.Consumed != 0) throw new InvariantViolationException("an incomplete parse consumed input");
                    break;
                }
                if (reader.Consumed == 0) throw new InvariantViolationException("a complete parse consumed nothing");
                consumed += reader.Consumed;
                pending = pending.Slice(reader.Position);
                commands++;
                fingerprint = Mix(fingerprint, (ulong)parser.ArgumentCount);
                for (int i = 0; i < parser.ArgumentCount; i++)
                {
                    fingerprint = Mix(fingerprint, (ulong)parser.Argument(i).Length);
                    foreach (byte b in parser.Argument(i)) fingerprint = Mix(fingerprint, b);
                }
            }
        }
        long total = chunks.Sum(c => (long)c.Length);
        return new ParseSummary(commands, fingerprint, null, total - consumed);
    }

    private static ulong Mix(ulong hash, ulong value) => (hash ^ value) * 1099511628211;

    /// <summary>What a parse saw: how many commands and a hash of their arguments, and the error or the bytes left unparsed.</summary>
    private readonly record struct ParseSummary(int Commands, ulong Fingerprint, string? Error, long Leftover);
}

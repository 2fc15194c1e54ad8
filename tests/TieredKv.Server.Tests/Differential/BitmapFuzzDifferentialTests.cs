using System.Globalization;
using TieredKv.Server.Tests.Harness;

namespace TieredKv.Server.Tests.Differential;

/// <summary>Seeded random scripts of bit commands and LCS against real Redis: ranges, field types, offsets and overflow modes mixed.</summary>
public sealed class BitmapFuzzDifferentialTests(DifferentialFixture fixture) : DifferentialTest(fixture)
{
    private static string Text(Random r, int maxLength, string alphabet)
    {
        var chars = new char[r.Next(maxLength + 1)];
        for (int i = 0; i < chars.Length; i++) chars[i] = alphabet[r.Next(alphabet.Length)];
        return new string(chars);
    }

    private static string N(long n) => n.ToString(CultureInfo.InvariantCulture);

    [SkippableFact]
    public void RandomRanges_BitCountAndBitPos()
    {
        RequireRedis();
        var r = new Random(1234);
        const string bytes = "\0\u0001\u0010\u007f\u0040abc";
        for (int round = 0; round < 20; round++)
        {
            string value = Text(r, 12, bytes);
            Same("SET", "k", value);
            for (int i = 0; i < 10; i++)
            {
                long start = r.Next(-120, 120), end = r.Next(-120, 120);
                string unit = r.Next(3) switch { 0 => "BYTE", 1 => "BIT", _ => "" };
                string bit = N(r.Next(2));
                if (unit == "")
                {
                    Same("BITCOUNT", "k", N(start), N(end));
                    Same("BITPOS", "k", bit, N(start), N(end));
                    Same("BITPOS", "k", bit, N(start));
                }
                else
                {
                    Same("BITCOUNT", "k", N(start), N(end), unit);
                    Same("BITPOS", "k", bit, N(start), N(end), unit);
                }
            }
        }
    }

    [SkippableFact]
    public void RandomBitFieldScripts()
    {
        RequireRedis();
        var r = new Random(99);
        string[] modes = ["WRAP", "SAT", "FAIL"];
        long[] interesting = [0, 1, -1, 127, 128, -128, 255, 256, long.MaxValue, long.MinValue, 1L << 62, -(1L << 62), 12345, -54321];
        for (int round = 0; round < 60; round++)
        {
            var command = new List<string> { "BITFIELD", "f" };
            for (int op = 0; op < 4; op++)
            {
                if (r.Next(4) == 0) command.AddRange(["OVERFLOW", modes[r.Next(3)]]);
                bool signed = r.Next(2) == 0;
                int bits = r.Next(1, signed ? 65 : 64);
                string type = (signed ? "i" : "u") + N(bits);
                string offset = r.Next(3) == 0 ? "#" + N(r.Next(4)) : N(r.Next(40));
                long argument = r.Next(2) == 0 ? interesting[r.Next(interesting.Length)] : r.NextInt64(-1000, 1000);
                switch (r.Next(3))
                {
                    case 0: command.AddRange(["GET", type, offset]); break;
                    case 1: command.AddRange(["SET", type, offset, N(argument)]); break;
                    default: command.AddRange(["INCRBY", type, offset, N(argument)]); break;
                }
            }
            Same([.. command]);
            if (round % 10 == 0) Same("GET", "f");
        }
        Same("GET", "f");
    }

    [SkippableFact]
    public void RandomLcs()
    {
        RequireRedis();
        var r = new Random(7);
        for (int round = 0; round < 25; round++)
        {
            Same("SET", "a", Text(r, 30, "abcab"));
            Same("SET", "b", Text(r, 30, "abcba"));
            Same("LCS", "a", "b");
            Same("LCS", "a", "b", "IDX", "WITHMATCHLEN");
            Same("LCS", "b", "a", "IDX", "MINMATCHLEN", N(r.Next(4)));
        }
    }
}

using TieredKv.Server.Tests.Harness;

namespace TieredKv.Server.Tests.Differential;

/// <summary>LCS against real Redis: every option, reply shapes in RESP2 and RESP3, and its errors.</summary>
public sealed class LcsDifferentialTests(DifferentialFixture fixture) : DifferentialTest(fixture)
{
    private void Strings()
    {
        Same("SET", "key1", "ohmytext");
        Same("SET", "key2", "mynewtext");
        Same("SET", "a", "rhodesislandxyz");
        Same("SET", "b", "rxhxodesisland");
    }

    [SkippableFact]
    public void Options()
    {
        Strings();
        Same("LCS", "key1", "key2");
        Same("LCS", "key1", "key2", "LEN");
        Same("LCS", "key1", "key2", "IDX");
        Same("LCS", "key1", "key2", "IDX", "MINMATCHLEN", "4");
        Same("LCS", "key1", "key2", "IDX", "MINMATCHLEN", "4", "WITHMATCHLEN");
        Same("LCS", "key1", "key2", "idx", "withmatchlen");
        Same("LCS", "key1", "key2", "IDX", "MINMATCHLEN", "-5");
        Same("LCS", "a", "b", "IDX", "WITHMATCHLEN");
        Same("LCS", "b", "a", "IDX");
        Same("LCS", "a", "b");
        Same("LCS", "a", "missing");
        Same("LCS", "missing", "missing2", "IDX");
        Same("LCS", "missing", "missing2", "LEN");
        Same("LCS", "a", "a", "IDX", "WITHMATCHLEN");
        Same("LCS", "key1", "key2", "WITHMATCHLEN");
        Same("LCS", "key1", "key2", "MINMATCHLEN", "2");
    }

    [SkippableFact]
    public void Errors()
    {
        Strings();
        Same("LCS", "key1", "key2", "LEN", "IDX");
        Same("LCS", "key1", "key2", "BOGUS");
        Same("LCS", "key1", "key2", "MINMATCHLEN");
        Same("LCS", "key1", "key2", "MINMATCHLEN", "x");
        Same("LCS", "key1");
    }

    [SkippableFact]
    public void Resp3_Map()
    {
        Strings();
        Setup("HELLO", "3");
        Same("LCS", "key1", "key2", "IDX", "WITHMATCHLEN");
        Same("LCS", "a", "b", "IDX", "MINMATCHLEN", "3");
        Same("LCS", "key1", "key2");
        Same("LCS", "key1", "key2", "LEN");
    }
}

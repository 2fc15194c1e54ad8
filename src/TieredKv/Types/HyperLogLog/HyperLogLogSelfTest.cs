namespace TieredKv.Types.HyperLogLog;

/// <summary>
/// PFSELFTEST: checks the dense register packing (every register round-trips random values) and that the sparse and
/// dense encodings agree and stay within a few standard errors of the true cardinality as elements are added.
/// </summary>
internal static class HyperLogLogSelfTest
{
    /// <summary>The standard error of 16384 registers is 1.04/√16384 ≈ 0.81%; a self-test allows several of them.</summary>
    private const double AllowedRelativeError = 6 * 1.04 / 128;

    /// <summary>Null when every check passes, else what failed (Redis's TESTFAILED text style).</summary>
    public static string? Run(int seed)
    {
        var random = new Random(seed);
        return CheckRegisters(random) ?? CheckEstimates(random);
    }

    private static string? CheckRegisters(Random random)
    {
        for (int round = 0; round < 4; round++)
        {
            var dense = HyperLogLogSketch.CreateEmpty();
            if (!dense.ToDense()) return "TESTFAILED could not convert an empty HyperLogLog to dense";
            var expected = new int[HyperLogLogSketch.Registers];
            for (int i = 0; i < expected.Length; i++)
            {
                expected[i] = random.Next(0, 64);
                if (expected[i] > 0) dense.Raise(i, expected[i]);
            }
            for (int i = 0; i < expected.Length; i++)
            {
                if (dense.Register(i) != expected[i]) return $"TESTFAILED Register error at {i}";
            }
        }
        return null;
    }

    private static string? CheckEstimates(Random random)
    {
        var sparse = HyperLogLogSketch.CreateEmpty();
        var dense = HyperLogLogSketch.CreateEmpty();
        if (!dense.ToDense()) return "TESTFAILED could not convert an empty HyperLogLog to dense";
        ulong salt = (ulong)random.NextInt64();
        long added = 0;
        Span<byte> element = stackalloc byte[16];
        foreach (long checkpoint in new long[] { 10, 100, 1_000, 10_000, 100_000 })
        {
            for (; added < checkpoint; added++)
            {
                BitConverter.TryWriteBytes(element, salt);
                BitConverter.TryWriteBytes(element[8..], added);
                if (sparse.Add(element) < 0 || dense.Add(element) < 0) return "TESTFAILED sparse HyperLogLog corrupted while adding";
            }
            ulong? fromSparse = sparse.Count(), fromDense = dense.Count();
            if (fromSparse == null || fromDense == null) return "TESTFAILED corrupted HyperLogLog while counting";
            if (fromSparse != fromDense) return $"TESTFAILED sparse and dense estimates differ at cardinality {checkpoint}: {fromSparse} vs {fromDense}";
            double error = Math.Abs((double)fromDense.Value - checkpoint) / checkpoint;
            if (error > AllowedRelativeError) return $"TESTFAILED too big error. card:{checkpoint} abserr:{Math.Abs((double)fromDense.Value - checkpoint)}";
        }
        return null;
    }
}

namespace TieredKv.Fuzz;

/// <summary>One parser under fuzzing: reads an input to the end and knows which exceptions are its documented rejections.</summary>
internal interface IFuzzTarget
{
    /// <summary>The name used on the command line and for the corpus and findings folders.</summary>
    string Name { get; }

    /// <summary>Parses <paramref name="input"/> and consumes everything it yields. May throw only rejections (see <see cref="IsRejection"/>).</summary>
    void Run(ReadOnlySpan<byte> input);

    /// <summary>True when <paramref name="e"/> is how the parser documents refusing bad input.</summary>
    bool IsRejection(Exception e);

    /// <summary>
    /// Most bytes one run may allocate. <paramref name="producedBytes"/> is what the last <see cref="Run"/> handed
    /// back (decoded values), so a legitimately expanding input (LZF, LZ4) is allowed for what it really produced.
    /// </summary>
    long AllocationBudget(int inputLength, long producedBytes);

    /// <summary>Bytes of values the last <see cref="Run"/> produced (0 for targets that produce nothing of note).</summary>
    long ProducedBytes { get; }

    /// <summary>
    /// Recomputes the checksums a mutation broke, so mutants get past the checksum into the parser proper.
    /// Returns the input unchanged when the format has none or it cannot be located.
    /// </summary>
    byte[] Repair(byte[] input);

    /// <summary>Small valid inputs made with the project's own writers, for the seed corpus.</summary>
    IEnumerable<(string Name, byte[] Data)> Seeds();
}

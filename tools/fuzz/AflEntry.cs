namespace TieredKv.Fuzz;

/// <summary>
/// The entry afl-fuzz runs (through SharpFuzz's fork server, over the instrumented assemblies): each input goes
/// through the same <see cref="FuzzHarness"/> as the in-process fuzzer, and a finding escapes as an exception,
/// which SharpFuzz reports to AFL as a crash. Rejections are swallowed. Each input's checksums are recomputed
/// first (<see cref="IFuzzTarget.Repair"/>), as AFL cannot: replay its crashes with <c>fuzz repro --repair</c>.
/// </summary>
internal static class AflEntry
{
    public static void Run(IFuzzTarget target)
    {
        // AFL enforces its own time limit (-t); ours is only the generous backstop.
        var harness = new FuzzHarness(target, TimeSpan.FromSeconds(10));
        SharpFuzz.Fuzzer.Run(stream =>
        {
            var input = new MemoryStream();
            stream.CopyTo(input);
            var outcome = harness.Execute(target.Repair(input.ToArray()));
            if (outcome.IsFinding) throw new FuzzFindingException($"{target.Name}: {outcome.Finding}: {outcome.Describe()}", outcome.Error);
        });
    }
}

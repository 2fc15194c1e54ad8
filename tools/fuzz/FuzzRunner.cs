using System.Diagnostics;

namespace TieredKv.Fuzz;

/// <summary>
/// The in-process mutation fuzzer: runs the seeds, then mutants of the corpus. Without coverage feedback, an
/// input joins the corpus when it behaves in a way not seen before (accepted, or a new kind of rejection), so
/// rejections deep in a format are mutated further. Every finding is saved by <see cref="FindingStore"/>.
/// </summary>
internal sealed class FuzzRunner(IFuzzTarget target, FuzzRunOptions options)
{
    /// <summary>A watchdog ends the process if one input runs this many times over its budget: a thread cannot be stopped.</summary>
    private const int HangFactor = 5;

    public FuzzRunResult Run(IReadOnlyList<byte[]> seeds, TextWriter? log = null)
    {
        var harness = new FuzzHarness(target, options.TimeBudget);
        var store = new FindingStore(options.FindingsDirectory);
        var random = new Random(options.Seed);
        var mutator = new Mutator(random, options.MaxInputLength);
        var corpus = new List<byte[]>(seeds.Count > 0 ? seeds : [[]]);
        var behaviours = new HashSet<string>();
        long executions = 0, findings = 0, rejections = 0;
        var clock = Stopwatch.StartNew();

        int seedCount = corpus.Count;
        byte[] current = [];
        long currentStarted = 0;
        using var watchdog = new Timer(_ =>
        {
            long started = Interlocked.Read(ref currentStarted);
            if (started == 0 || Stopwatch.GetElapsedTime(started) < options.TimeBudget * HangFactor) return;
            var outcome = new ExecutionOutcome(null, 0, 0, Stopwatch.GetElapsedTime(started), FindingKind.Hang);
            string? path = store.Save(target.Name, Volatile.Read(ref current), outcome);
            Console.Error.WriteLine($"{target.Name}: an input has run for {outcome.Elapsed.TotalSeconds:F0} s, saved as {path}; stopping");
            Environment.Exit(1);
        }, null, 200, 200);

        void Execute(byte[] input)
        {
            Volatile.Write(ref current, input);
            Interlocked.Exchange(ref currentStarted, Stopwatch.GetTimestamp());
            var outcome = harness.Execute(input);
            Interlocked.Exchange(ref currentStarted, 0);
            executions++;
            if (outcome.IsRejection) rejections++;
            if (outcome.IsFinding)
            {
                findings++;
                if (store.Save(target.Name, input, outcome) is { } saved)
                    log?.WriteLine($"{target.Name}: finding {outcome.Finding} saved as {saved}: {outcome.Describe().Split('\n')[0]}");
            }
            else if (behaviours.Add(outcome.Signature))
            {
                // A full corpus trades a random non-seed input for the new one, so late discoveries still get mutated.
                if (corpus.Count < options.MaxCorpus) corpus.Add(input);
                else if (corpus.Count > seedCount) corpus[seedCount + random.Next(corpus.Count - seedCount)] = input;
            }
        }

        foreach (byte[] seed in seeds) Execute(seed);
        seedCount = corpus.Count;
        while (clock.Elapsed < options.Duration && executions < options.MaxExecutions)
        {
            byte[] parent = corpus[random.Next(corpus.Count)];
            byte[] mutant = mutator.Mutate(parent, corpus[random.Next(corpus.Count)]);
            if (random.Next(2) == 0) mutant = target.Repair(mutant);
            Execute(mutant);
        }
        return new FuzzRunResult(target.Name, executions, clock.Elapsed, findings, store.Saved, corpus.Count, behaviours.Count, rejections);
    }
}

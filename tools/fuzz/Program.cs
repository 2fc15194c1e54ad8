using TieredKv.Fuzz;

// fuzz run <target|all> --seconds N --corpus DIR [--seed S] [--findings DIR] [--max-len N] [--timeout-ms N]
// fuzz afl <target>                  (under afl-fuzz; see afl.sh)
// fuzz seed <target|all> DIR         (regenerates the writer-made seeds)
// fuzz repro <target> [--repair] FILE...  (runs saved inputs and prints what each did; --repair for AFL's)
if (args.Length < 2) return Usage();
string command = args[0];
string targetArg = args[1];
var names = targetArg == "all" ? FuzzTargets.Names : [targetArg];
try
{
    switch (command)
    {
        case "run":
        {
            var options = RunFlags.Parse(args.AsSpan(2));
            bool anyFinding = false;
            foreach (string name in names)
            {
                var target = FuzzTargets.Create(name);
                string corpusDir = options.Corpus == null ? Path.Combine("tools", "fuzz", "corpus", name)
                    : Directory.Exists(Path.Combine(options.Corpus, name)) ? Path.Combine(options.Corpus, name) : options.Corpus;
                var seeds = FuzzTargets.LoadCorpus(corpusDir);
                if (seeds.Count == 0) seeds = [.. target.Seeds().Select(s => s.Data)];
                var runOptions = new FuzzRunOptions
                {
                    Duration = TimeSpan.FromSeconds(options.Seconds),
                    Seed = options.Seed ?? Environment.TickCount,
                    FindingsDirectory = options.Findings,
                    MaxInputLength = options.MaxLength,
                    TimeBudget = TimeSpan.FromMilliseconds(options.TimeoutMs),
                };
                Console.WriteLine($"{name}: {seeds.Count} seeds from {corpusDir}, seed {runOptions.Seed}, {options.Seconds} s");
                var result = new FuzzRunner(target, runOptions).Run(seeds, Console.Out);
                Console.WriteLine(result);
                anyFinding |= result.Findings > 0;
            }
            return anyFinding ? 1 : 0;
        }
        case "afl":
            AflEntry.Run(FuzzTargets.Create(targetArg));
            return 0;
        case "seed":
        {
            if (args.Length < 3) return Usage();
            foreach (string name in names)
            {
                string dir = names.Count > 1 ? Path.Combine(args[2], name) : args[2];
                Directory.CreateDirectory(dir);
                foreach (var (file, data) in FuzzTargets.Create(name).Seeds())
                {
                    File.WriteAllBytes(Path.Combine(dir, file), data);
                    Console.WriteLine($"{Path.Combine(dir, file)}: {data.Length} bytes");
                }
            }
            return 0;
        }
        case "repro":
        {
            var target = FuzzTargets.Create(targetArg);
            var harness = new FuzzHarness(target, TimeSpan.FromSeconds(2));
            bool repair = args.Length > 2 && args[2] == "--repair";
            bool anyFinding = false;
            foreach (string file in args.Skip(repair ? 3 : 2))
            {
                byte[] input = File.ReadAllBytes(file);
                var outcome = harness.Execute(repair ? target.Repair(input) : input);
                Console.WriteLine($"{file}: {(outcome.IsFinding ? "FINDING " + outcome.Finding : outcome.IsRejection ? "rejected" : "accepted")}, " +
                    $"{outcome.AllocatedBytes:N0} bytes allocated (budget {outcome.AllocationBudget:N0}), {outcome.Elapsed.TotalMilliseconds:F1} ms");
                if (outcome.Error != null) Console.WriteLine("  " + (outcome.IsFinding ? outcome.Error.ToString() : outcome.Error.Message));
                anyFinding |= outcome.IsFinding;
            }
            return anyFinding ? 1 : 0;
        }
        default:
            return Usage();
    }
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

static int Usage()
{
    Console.Error.WriteLine("usage: fuzz run <target|all> [--seconds N] [--corpus DIR] [--seed S] [--findings DIR] [--max-len N] [--timeout-ms N]");
    Console.Error.WriteLine("       fuzz afl <target> | fuzz seed <target|all> DIR | fuzz repro <target> [--repair] FILE...");
    Console.Error.WriteLine($"targets: {string.Join(", ", FuzzTargets.Names)}");
    return 2;
}

namespace TieredKv.CrashTest;

/// <summary>
/// crashtest [--cycles N] [--seconds-per-cycle S] [--fsync always|everysec] [--data-dir D] [--seed N] …:
/// SIGKILLs the real server again and again under concurrent writers and checks, after every restart,
/// that acknowledged writes survived. With --soak [--connections N] [--seconds S]: many checked connections
/// against one server, printing RSS and latency every few seconds. Exit code 1 on any violation or failure, 2 on bad arguments.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        CrashTestOptions options;
        try
        {
            options = CrashTestOptions.Parse(args);
        }
        catch (FormatException e)
        {
            Console.Error.WriteLine($"crashtest: {e.Message}");
            return 2;
        }
        if (options.Soak) return new SoakRunner(options, Console.Out).Run().Failures.Count == 0 ? 0 : 1;
        var result = new CrashTestRunner(options, Console.Out).Run();
        return result.Violations.Count == 0 ? 0 : 1;
    }
}

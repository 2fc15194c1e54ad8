using System.Globalization;

namespace TieredKv.CrashTest;

/// <summary>What a kill -9 or power-cut run does; parsed from <c>--name value</c> arguments.</summary>
internal sealed record CrashTestOptions
{
    public int Cycles { get; init; } = 20;
    public double SecondsPerCycle { get; init; } = 3;
    public string Fsync { get; init; } = "always";
    public string DataDir { get; init; } = Path.Combine(Path.GetTempPath(), "tkv-crashtest-" + Guid.NewGuid().ToString("N"));
    public int Seed { get; init; } = Environment.TickCount;
    public int Writers { get; init; } = 4;
    public int KeysPerKind { get; init; } = 8;
    public int MaxPipeline { get; init; } = 16;

    /// <summary>Engine sizes small enough that flushes, WAL rotations and compactions happen every few seconds.</summary>
    public string WriteBufferSize { get; init; } = "64kb";
    public string LevelBaseSize { get; init; } = "512kb";
    public string TargetFileSize { get; init; } = "128kb";

    /// <summary>Under everysec, how long before the kill an acknowledged write may have been acknowledged and still be lost.</summary>
    public double LossWindowSeconds { get; init; } = 1.5;

    /// <summary>How often BGSAVE is issued while the writers run; 0 turns it off.</summary>
    public double BgsaveIntervalMs { get; init; } = 200;

    /// <summary>The server to launch with <c>dotnet</c>; by default found by <see cref="ServerLocation.DefaultServerDll"/>.</summary>
    public string ServerDll { get; init; } = ServerLocation.DefaultServerDll();

    public bool KeepDataDir { get; init; }

    /// <summary>Power cuts on a powercut_fs mount instead of kill -9: unsynced data and un-dir-synced names are lost.</summary>
    public bool PowerCut { get; init; }

    /// <summary>"tieredkv" (ours) or "redis" (a real redis-server with appendonly yes, measured by the same checks).</summary>
    public string Target { get; init; } = "tieredkv";

    public string RedisServer { get; init; } = "/usr/bin/redis-server";

    /// <summary>A subdirectory of the power-cut mount created and made durable before the first start (redis: appendonlydir).</summary>
    public string? PreCreateDir { get; init; }

    /// <summary>A cycle runs the writers between this share of <see cref="SecondsPerCycle"/> and all of it.</summary>
    public double MinCycleSeconds => PowerCut ? SecondsPerCycle / 3 : 0.1;

    /// <summary>How often a restart is itself killed at a random moment in its first 400 ms (while it recovers).</summary>
    public double RecoveryKillChance { get; init; } = 0.15;

    /// <summary>Soak mode instead of kill -9: this many checked connections for <see cref="Seconds"/>, sampled every <see cref="SampleSeconds"/>.</summary>
    public bool Soak { get; init; }
    public int Connections { get; init; } = 200;
    public double Seconds { get; init; } = 60;
    public double SampleSeconds { get; init; } = 5;

    public static CrashTestOptions Parse(string[] args)
    {
        var o = new CrashTestOptions();
        for (int i = 0; i < args.Length; i++)
        {
            string name = args[i];
            string Value() => i + 1 < args.Length ? args[++i] : throw new FormatException($"{name} needs a value");
            o = name switch
            {
                "--cycles" => o with { Cycles = int.Parse(Value(), CultureInfo.InvariantCulture) },
                "--seconds-per-cycle" => o with { SecondsPerCycle = double.Parse(Value(), CultureInfo.InvariantCulture) },
                "--fsync" => o with { Fsync = Value() is var f && f is "always" or "everysec" ? f : throw new FormatException("--fsync is always or everysec") },
                "--data-dir" => o with { DataDir = Value(), KeepDataDir = true },
                "--seed" => o with { Seed = int.Parse(Value(), CultureInfo.InvariantCulture) },
                "--writers" => o with { Writers = int.Parse(Value(), CultureInfo.InvariantCulture) },
                "--keys-per-kind" => o with { KeysPerKind = int.Parse(Value(), CultureInfo.InvariantCulture) },
                "--max-pipeline" => o with { MaxPipeline = int.Parse(Value(), CultureInfo.InvariantCulture) },
                "--write-buffer-size" => o with { WriteBufferSize = Value() },
                "--recovery-kill-chance" => o with { RecoveryKillChance = double.Parse(Value(), CultureInfo.InvariantCulture) },
                "--loss-window" => o with { LossWindowSeconds = double.Parse(Value(), CultureInfo.InvariantCulture) },
                "--bgsave-interval-ms" => o with { BgsaveIntervalMs = double.Parse(Value(), CultureInfo.InvariantCulture) },
                "--server" or "--server-dll" => o with { ServerDll = Value() },
                "--soak" => o with { Soak = true },
                "--power-cut" => o with { PowerCut = true },
                "--target" => o with { Target = Value() is var t && t is "tieredkv" or "redis" ? t : throw new FormatException("--target is tieredkv or redis") },
                "--redis-server" => o with { RedisServer = Value() },
                "--pre-create-dir" => o with { PreCreateDir = Value() },
                "--connections" => o with { Connections = int.Parse(Value(), CultureInfo.InvariantCulture) },
                "--seconds" => o with { Seconds = double.Parse(Value(), CultureInfo.InvariantCulture) },
                "--sample-seconds" => o with { SampleSeconds = double.Parse(Value(), CultureInfo.InvariantCulture) },
                _ => throw new FormatException($"unknown option {name}"),
            };
        }
        return o;
    }
}

namespace TieredKv.CrashTest;

/// <summary>Totals of a kill -9 or power-cut run; any entry in <see cref="Violations"/> fails it.</summary>
internal sealed class CrashTestResult
{
    public int Cycles { get; set; }
    public long AcknowledgedChecked { get; set; }
    public long InFlight { get; set; }
    public long InFlightApplied { get; set; }
    public long LostAcknowledged { get; set; }

    /// <summary>Restarts after which at least one acknowledged write was missing.</summary>
    public int RestartsWithLoss { get; set; }

    /// <summary>Starts that failed (exited or never answered PING) on what a crash left.</summary>
    public int FailedRestarts { get; set; }
    public double MaxLostMillis { get; set; }
    public long Flushes { get; set; }
    public long Compactions { get; set; }
    public int KillsWithFlushPending { get; set; }
    public int KillsDuringStart { get; set; }
    public int KillsDuringRecovery { get; set; }
    public long BgsavesStarted { get; set; }
    public int KillsDuringBgsave { get; set; }
    public int RdbFilesChecked { get; set; }
    public int TornTailsAtEnd { get; set; }
    public long StoreEntries { get; set; } = -1;
    public List<string> Violations { get; } = [];

    public override string ToString() =>
        $"cycles {Cycles}, acknowledged writes checked {AcknowledgedChecked}, in flight at kills {InFlight} (applied {InFlightApplied}), " +
        $"acknowledged lost {LostAcknowledged} in {RestartsWithLoss} restarts (max {MaxLostMillis:F0} ms before the crash), failed restarts {FailedRestarts}, flushes {Flushes}, compactions {Compactions}, " +
        $"crashes with a flush pending {KillsWithFlushPending}, crashes during start {KillsDuringStart} (after recovery began writing {KillsDuringRecovery}), " +
        $"BGSAVEs {BgsavesStarted} (crashes during one {KillsDuringBgsave}, dump.rdb checked whole after {RdbFilesChecked} restarts), " +
        $"torn log tails at the end {TornTailsAtEnd}, entries in the store at the end {StoreEntries}, violations {Violations.Count}";
}

using System.Diagnostics;
using TieredKv.CrashTest;

namespace TieredKv.Server.Tests.Crash;

/// <summary>
/// The crash test's checker against a fake "server": the model's state after some commands stands in
/// for what a restart recovered, so each test decides exactly what was lost.
/// </summary>
public sealed class CrashCheckerTests
{
    /// <summary>A writer whose commands were all sent and acknowledged (a connection to a real server is not needed: the model answers).</summary>
    private static (Writer Writer, List<string[]> Commands) WriterWith(int commands, int inFlight = 0)
    {
        var writer = new Writer(0, keysPerKind: 2, maxPipeline: 1, seed: 5);
        var sent = writer.SimulateSent(commands + inFlight, acknowledged: commands, ackedAt: Stopwatch.GetTimestamp());
        return (writer, sent);
    }

    /// <summary>What a server that applied only the first <paramref name="applied"/> commands would hold.</summary>
    private static Dictionary<string, string> StateAfter(Writer writer, List<string[]> commands, int applied)
    {
        var model = new KeyspaceModel();
        foreach (var c in commands.Take(applied)) model.Apply(c);
        return writer.Keys.ToDictionary(k => k, model.Render);
    }

    [Fact]
    public void AllAcknowledgedPresent_Passes()
    {
        var (writer, commands) = WriterWith(300);
        var check = writer.Verify(StateAfter(writer, commands, 300), Stopwatch.GetTimestamp(), lossWindow: null);
        Assert.Null(check.Violation);
        Assert.Equal(300, check.Acknowledged);
    }

    [Fact]
    public void LostAcknowledgedWrite_UnderAlways_IsAViolationNamingTheFirstLostCommand()
    {
        var (writer, commands) = WriterWith(300);
        var check = writer.Verify(StateAfter(writer, commands, 250), Stopwatch.GetTimestamp(), lossWindow: null);
        Assert.NotNull(check.Violation);
        Assert.Contains("were lost", check.Violation);
    }

    [Fact]
    public void LostAcknowledgedWrites_AreCounted_AndThePrefixRecoveredIsAdopted()
    {
        var (writer, commands) = WriterWith(300);
        var state = StateAfter(writer, commands, 250);
        var check = writer.Verify(state, Stopwatch.GetTimestamp(), lossWindow: null);
        Assert.NotNull(check.Violation);
        Assert.True(check.IsPrefix);
        Assert.Equal(50, check.LostAcknowledged);
        // A power-cut run goes on from what was recovered: the same state now checks clean.
        Assert.Null(writer.Verify(state, Stopwatch.GetTimestamp(), lossWindow: null).Violation);
    }

    [Fact]
    public void InFlightCommand_MayBeAppliedOrNot()
    {
        var (applied, appliedCommands) = WriterWith(200, inFlight: 3);
        Assert.Null(applied.Verify(StateAfter(applied, appliedCommands, 203), Stopwatch.GetTimestamp(), null).Violation);
        var (missing, missingCommands) = WriterWith(200, inFlight: 3);
        Assert.Null(missing.Verify(StateAfter(missing, missingCommands, 200), Stopwatch.GetTimestamp(), null).Violation);
    }

    [Fact]
    public void EverySec_AllowsLosingOnlyWritesAcknowledgedWithinTheWindow()
    {
        var (recent, recentCommands) = WriterWith(300);
        long killedAt = Stopwatch.GetTimestamp();
        Assert.Null(recent.Verify(StateAfter(recent, recentCommands, 250), killedAt, TimeSpan.FromSeconds(1)).Violation);

        var (old, oldCommands) = WriterWith(300);
        long muchLater = Stopwatch.GetTimestamp() + 10 * Stopwatch.Frequency;
        Assert.NotNull(old.Verify(StateAfter(old, oldCommands, 250), muchLater, TimeSpan.FromSeconds(1)).Violation);
    }

    [Fact]
    public void DuplicatedIncr_MatchesNoPrefix_IsAViolation()
    {
        var (writer, commands) = WriterWith(300);
        var state = StateAfter(writer, commands, 300);
        // An INCR applied twice: no prefix of the writer's commands holds this, whatever the loss window allows.
        var counter = writer.Keys.First(k => k.Contains(":c:") && state[k] != "(none)" && !state[k].Contains("ttl"));
        state[counter] = (long.Parse(state[counter]) + 1).ToString();
        var check = writer.Verify(state, Stopwatch.GetTimestamp(), TimeSpan.FromSeconds(1));
        Assert.NotNull(check.Violation);
        Assert.Contains(counter, check.Violation);
        Assert.False(check.IsPrefix);
    }
}

namespace TieredKv.Tools.Tests;

public sealed class ProgressDisplayTests
{
    [Fact]
    public void OnATerminal_RedrawsOneLineWithBarRateAndEta_AndClearsItAtTheEnd()
    {
        var error = new StringWriter();
        var progress = new ProgressDisplay(error, interactive: true, "verify", total: 4 << 20, interval: TimeSpan.Zero);

        progress.Update(1 << 20);
        progress.Update(2 << 20);
        progress.Finish();

        string text = error.ToString();
        Assert.DoesNotContain('\n', text);
        Assert.Equal(4, text.Count(c => c == '\r'));
        Assert.Contains("[#######.......................]  25.0% 1.0 MiB/4.0 MiB", text);
        Assert.Contains(" 50.0% 2.0 MiB/4.0 MiB", text);
        Assert.Matches(@"/s ETA \d+m\d\ds", text);
    }

    [Fact]
    public void InALog_WritesPlainLines()
    {
        var error = new StringWriter();
        var progress = new ProgressDisplay(error, interactive: false, "verify", total: 1000, interval: TimeSpan.Zero);

        progress.Update(500, "file 1/2");
        progress.Finish();

        var line = Assert.Single(error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("verify  50.0% 500 B/1000 B ", line);
        Assert.EndsWith("file 1/2\r".TrimEnd('\r'), line.TrimEnd('\r'));
        Assert.DoesNotContain('[', line);
    }

    [Fact]
    public void CountingKeys_ShowsKeysAndKeysPerSecond()
    {
        var error = new StringWriter();
        var progress = new ProgressDisplay(error, interactive: false, "dump", total: 200, interval: TimeSpan.Zero, unit: ProgressUnit.Keys);

        progress.Update(50);

        Assert.StartsWith("dump  25.0% 50 keys/200 keys ", error.ToString());
        Assert.Matches(@" keys/s ETA ", error.ToString());
    }
}

using TieredKv.Server.Tests.Harness;

namespace TieredKv.Server.Tests.Differential;

/// <summary>
/// Consumer groups against real Redis: XGROUP, XREADGROUP, XACK, XPENDING, XCLAIM, XAUTOCLAIM and the group state
/// they leave (XINFO, XPENDING). Times (idle, seen-time, delivery time) differ between two servers by nature: those
/// replies are compared with them masked.
/// </summary>
public sealed class StreamGroupDifferentialTests(DifferentialFixture fixture) : DifferentialTest(fixture)
{
    private static readonly RespTree Zero = RespTree.Parse(":0\r\n"u8.ToArray());

    private static bool IsId(string? text) => text != null && System.Text.RegularExpressions.Regex.IsMatch(text, @"^\d+-\d+$");

    /// <summary>The reply with every time-dependent integer set to 0: values after "idle"/"seen-time", and the time of pending-entry arrays.</summary>
    internal static RespTree Mask(RespTree tree)
    {
        if (!tree.IsAggregate) return tree;
        var children = tree.Children.Select(Mask).ToList();
        for (int i = 0; i + 1 < children.Count; i++)
            if (children[i].Text is "idle" or "seen-time" && children[i + 1].Type == ':') children[i + 1] = Zero;
        if (children.Count is 3 or 4 && IsId(children[0].Text) && children[^2].Type == ':' && children[^1].Type == ':') children[^2] = Zero;
        return tree.With(children);
    }

    private void SameMasked(params string[] command)
    {
        RequireRedis();
        var (redis, ours) = Clients;
        string e = Mask(RespTree.Parse(redis.Call(command))).ToString(), a = Mask(RespTree.Parse(ours.Call(command))).ToString();
        Assert.True(e == a, $"{string.Join(' ', command)}\n  redis:    {e}\n  tieredkv: {a}");
    }

    private void SameMaskedEach(params string[] lines)
    {
        foreach (var line in lines) SameMasked(line.Split(' '));
    }

    private void Stream5() => SameEach("XADD s 1-0 a 1", "XADD s 2-0 b 2", "XADD s 3-0 c 3", "XADD s 4-0 d 4", "XADD s 5-0 e 5");

    [SkippableFact]
    public void XGroup_CreateSetIdDestroy_AndTheirErrors()
    {
        Stream5();
        SameEach("XGROUP CREATE s g $", "XGROUP CREATE s g 0", "XGROUP CREATE s h 0 ENTRIESREAD 2", "XGROUP CREATE s i 2-0 ENTRIESREAD -2",
            "XGROUP CREATE s i x", "XGROUP CREATE s i +", "XGROUP CREATE s i - ", "XGROUP CREATE missing g $", "XGROUP CREATE missing g x",
            "XGROUP CREATE m g $ MKSTREAM", "TYPE m", "XLEN m", "XGROUP CREATE m2 g 7-7 MKSTREAM ENTRIESREAD 3", "XINFO GROUPS m2",
            "XGROUP CREATE s j 0 FOO", "XGROUP CREATE s j 0 ENTRIESREAD", "XGROUP CREATE s j 0 ENTRIESREAD x", "XGROUP CREATE s j 0 MKSTREAM MKSTREAM ENTRIESREAD 1 ENTRIESREAD 2",
            "XGROUP SETID s g 3-0", "XGROUP SETID s g - ENTRIESREAD 0", "XGROUP SETID s g + ", "XGROUP SETID s g $ ENTRIESREAD 5", "XGROUP SETID s nope 0",
            "XGROUP SETID missing g 0", "XGROUP SETID s g x", "XGROUP SETID s g 0 MKSTREAM", "XGROUP SETID s g 0 ENTRIESREAD 1 ENTRIESREAD 2",
            "XINFO GROUPS s", "XGROUP DESTROY s h", "XGROUP DESTROY s h", "XGROUP DESTROY missing h", "XINFO GROUPS s",
            "XGROUP", "XGROUP FOO", "XGROUP CREATE s", "XGROUP DESTROY s g x", "XGROUP HELP", "XGROUP HELP x", "XGROUP help",
            "SET str x", "XGROUP CREATE str g $", "XGROUP CREATE str g $ MKSTREAM", "XGROUP DESTROY str g");
    }

    [SkippableFact]
    public void XGroup_Consumers_CreateAndDelete()
    {
        Stream5();
        SameEach("XGROUP CREATE s g 0", "XGROUP CREATECONSUMER s g alice", "XGROUP CREATECONSUMER s g alice", "XGROUP CREATECONSUMER s nope alice",
            "XGROUP CREATECONSUMER missing g alice", "XREADGROUP GROUP g bob COUNT 2 STREAMS s >", "XREADGROUP GROUP g alice COUNT 1 STREAMS s >",
            "XPENDING s g", "XGROUP DELCONSUMER s g bob", "XGROUP DELCONSUMER s g bob", "XGROUP DELCONSUMER s nope bob", "XPENDING s g",
            "XINFO GROUPS s");
        SameMaskedEach("XINFO CONSUMERS s g", "XPENDING s g - + 10");
    }

    [SkippableFact]
    public void XReadGroup_NewEntriesHistoryAndNoAck()
    {
        Stream5();
        SameEach("XGROUP CREATE s g 0", "XREADGROUP GROUP g alice COUNT 2 STREAMS s >", "XREADGROUP GROUP g bob STREAMS s >", "XREADGROUP GROUP g bob STREAMS s >",
            "XREADGROUP GROUP g alice STREAMS s 0", "XREADGROUP GROUP g alice COUNT 1 STREAMS s 1-0", "XREADGROUP GROUP g carol STREAMS s 0",
            "XDEL s 2-0", "XREADGROUP GROUP g alice STREAMS s 0", "XADD s 6-0 f 6", "XREADGROUP GROUP g dave NOACK STREAMS s >",
            "XPENDING s g", "XINFO GROUPS s", "XGROUP SETID s g 0", "XREADGROUP GROUP g erin COUNT 2 STREAMS s >", "XPENDING s g", "XINFO GROUPS s",
            "XREADGROUP GROUP g alice STREAMS s missing > >", "XREADGROUP GROUP nope alice STREAMS s >", "XREADGROUP GROUP g alice STREAMS s $",
            "XREADGROUP GROUP g alice STREAMS s x", "SET str x", "XREADGROUP GROUP g alice STREAMS str >", "XREADGROUP GROUP g alice NOACK BLOCK x STREAMS s >");
        SameMaskedEach("XPENDING s g - + 10", "XPENDING s g - + 10 alice", "XINFO CONSUMERS s g");
    }

    [SkippableFact]
    public void XAck_RemovesPendingEntries()
    {
        Stream5();
        SameEach("XGROUP CREATE s g 0", "XREADGROUP GROUP g alice STREAMS s >", "XACK s g 1-0 3-0 3-0 9-0", "XACK s g 1-0", "XACK s g x", "XACK missing g 1-0",
            "XACK s nope 1-0", "XACK missing g x", "XACK s nope x", "XPENDING s g", "XACK s g 2 4 5", "XPENDING s g", "SET str x", "XACK str g 1-0");
        SameMaskedEach("XINFO CONSUMERS s g");
    }

    [SkippableFact]
    public void XPending_SummaryAndExtendedForms()
    {
        Stream5();
        SameEach("XGROUP CREATE s g 0", "XPENDING s g", "XREADGROUP GROUP g bob COUNT 2 STREAMS s >", "XREADGROUP GROUP g alice STREAMS s >", "XPENDING s g",
            "XPENDING s g - + 0", "XPENDING s g - + -1", "XPENDING s g - + 10 nobody", "XPENDING s nope", "XPENDING missing g", "XPENDING s g - +",
            "XPENDING s g IDLE 10 - +", "XPENDING s g x + 10", "XPENDING s g - + x", "XPENDING s g IDLE x - + 10",
            "XPENDING s g (5 + 10", "XPENDING s g - (0 10", "XPENDING s g (18446744073709551615-18446744073709551615 + 1", "SET str x", "XPENDING str g");
        SameMaskedEach("XPENDING s g - + 10", "XPENDING s g - + 2", "XPENDING s g (1 (5 10", "XPENDING s g 2 3 10 alice", "XPENDING s g - + 10 bob", "XPENDING s g - + 10 bob x",
            "XPENDING s g IDLE 0 - + 10", "XPENDING s g IDLE 100000 - + 10", "XPENDING s g IDLE -5 - + 3 alice");
    }

    [SkippableFact]
    public void XClaim_OptionsAndResultingState()
    {
        Stream5();
        SameEach("XGROUP CREATE s g 0", "XREADGROUP GROUP g alice STREAMS s >");
        SameEach("XCLAIM s g bob 0 1-0 2-0", "XCLAIM s g bob 100000 3-0", "XCLAIM s g bob 0 3-0 JUSTID", "XCLAIM s g carol 0 4-0 RETRYCOUNT 7",
            "XCLAIM s g carol 0 5-0 IDLE 500000 JUSTID", "XCLAIM s g dave 0 9-0 FORCE", "XADD s 6-0 f 6", "XCLAIM s g dave 0 6-0", "XCLAIM s g dave 0 6-0 FORCE",
            "XCLAIM s g dave 0 5-0 TIME 1000 LASTID 20-0", "XINFO GROUPS s", "XCLAIM s g dave 0 1-0 LASTID 3-0", "XINFO GROUPS s",
            "XDEL s 2-0", "XCLAIM s g erin 0 2-0 1-0", "XPENDING s g", "XCLAIM s g erin 0 1-0 1-0 JUSTID",
            "XCLAIM s g erin x 1-0", "XCLAIM s g erin 0 1-0 IDLE x", "XCLAIM s g erin 0 1-0 TIME x", "XCLAIM s g erin 0 1-0 RETRYCOUNT x",
            "XCLAIM s g erin 0 1-0 LASTID x", "XCLAIM s g erin 0 1-0 BOGUS", "XCLAIM s g erin 0 BOGUS", "XCLAIM s nope erin 0 1-0", "XCLAIM missing g erin 0 1-0",
            "XCLAIM s g erin -5 1-0 + -", "SET str x", "XCLAIM str g erin 0 1-0");
        SameMaskedEach("XPENDING s g - + 10", "XINFO CONSUMERS s g", "XINFO STREAM s FULL");
    }

    [SkippableFact]
    public void XAutoClaim_ScansClaimsAndReportsDeletedEntries()
    {
        Stream5();
        SameEach("XADD s 6-0 f 6", "XADD s 7-0 g 7", "XGROUP CREATE s g 0", "XREADGROUP GROUP g alice STREAMS s >", "XDEL s 2-0 5-0");
        SameEach("XAUTOCLAIM s g bob 0 0 COUNT 2", "XAUTOCLAIM s g bob 0 3-0 COUNT 2 JUSTID", "XAUTOCLAIM s g bob 0 (6-0", "XAUTOCLAIM s g carol 100000 0",
            "XAUTOCLAIM s g carol 0 0", "XAUTOCLAIM s g carol 0 0 COUNT 1", "XPENDING s g",
            "XAUTOCLAIM s g bob x 0", "XAUTOCLAIM s g bob 0 x", "XAUTOCLAIM s g bob 0 0 COUNT 0", "XAUTOCLAIM s g bob 0 0 COUNT x",
            "XAUTOCLAIM s g bob 0 0 COUNT 576460752303423488", "XAUTOCLAIM s g bob 0 0 FOO", "XAUTOCLAIM s g bob 0 (18446744073709551615-18446744073709551615",
            "XAUTOCLAIM s nope bob 0 0", "XAUTOCLAIM missing g bob 0 0", "SET str x", "XAUTOCLAIM str g bob 0 0");
        SameMaskedEach("XPENDING s g - + 10", "XINFO CONSUMERS s g", "XINFO GROUPS s");
    }

    [SkippableFact]
    public void GroupCounters_EntriesReadAndLag_FollowDeletesAndTrims()
    {
        Stream5();
        SameEach("XGROUP CREATE s g 0", "XGROUP CREATE s h $", "XGROUP CREATE s i 3-0", "XINFO GROUPS s", "XREADGROUP GROUP g a COUNT 2 STREAMS s >", "XINFO GROUPS s",
            "XDEL s 4-0", "XINFO GROUPS s", "XREADGROUP GROUP g a COUNT 1 STREAMS s >", "XINFO GROUPS s", "XREADGROUP GROUP g a STREAMS s >", "XINFO GROUPS s",
            "XTRIM s MAXLEN 1", "XADD s 6-0 f 6", "XINFO GROUPS s", "XREADGROUP GROUP i a STREAMS s >", "XINFO GROUPS s", "XSETID s 10-0 ENTRIESADDED 20 MAXDELETEDID 9-0",
            "XINFO GROUPS s", "XINFO STREAM s");
    }

    [SkippableFact]
    public void XInfo_StreamGroupsConsumersAndHelp()
    {
        SameEach("XGROUP CREATE e g $ MKSTREAM", "XINFO STREAM e", "XINFO STREAM e FULL");
        Stream5();
        SameEach("XDEL s 1-0", "XGROUP CREATE s g 0", "XGROUP CREATE s a 0", "XREADGROUP GROUP g zed COUNT 2 STREAMS s >", "XREADGROUP GROUP g amy STREAMS s >",
            "XINFO STREAM s", "XINFO GROUPS s", "XINFO STREAM missing", "XINFO GROUPS missing", "XINFO CONSUMERS missing g", "XINFO CONSUMERS s nope",
            "XINFO STREAM s FULL COUNT", "XINFO STREAM s FUL", "XINFO STREAM s FULL COUNTS 1", "XINFO STREAM s FULL COUNT x", "XINFO STREAM missing FULL COUNT x",
            "XINFO HELP", "XINFO HELP x", "XINFO FOO s", "XINFO STREAM", "XINFO GROUPS s x", "SET str x", "XINFO STREAM str", "XINFO GROUPS str", "XINFO CONSUMERS str g");
        SameMaskedEach("XINFO CONSUMERS s g", "XINFO STREAM s FULL", "XINFO STREAM s FULL COUNT 1", "XINFO STREAM s FULL COUNT 0", "XINFO STREAM s FULL COUNT -3");
        Setup("HELLO", "3");
        SameEach("XINFO STREAM s", "XINFO GROUPS s");
        SameMaskedEach("XINFO CONSUMERS s g", "XINFO STREAM s FULL");
    }
}

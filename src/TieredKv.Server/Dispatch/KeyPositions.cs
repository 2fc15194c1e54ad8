namespace TieredKv.Server.Dispatch;

/// <summary>The argument indexes that are keys, from a spec's FirstKey/LastKey/Step (a negative last key counts from the end).</summary>
internal static class KeyPositions
{
    public static IEnumerable<int> Of(CommandSpec spec, int argCount)
    {
        if (spec.FirstKey <= 0 || spec.Step <= 0) yield break;
        int last = spec.LastKey >= 0 ? spec.LastKey : argCount + spec.LastKey;
        last = Math.Min(last, argCount - 1);
        for (int i = spec.FirstKey; i <= last; i += spec.Step) yield return i;
    }
}

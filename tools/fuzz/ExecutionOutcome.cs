namespace TieredKv.Fuzz;

/// <summary>What one execution of a target did.</summary>
internal sealed record ExecutionOutcome(Exception? Error, long AllocatedBytes, long AllocationBudget, TimeSpan Elapsed, FindingKind? Finding)
{
    public bool IsFinding => Finding != null;

    /// <summary>The input was refused with the parser's documented error.</summary>
    public bool IsRejection => Error != null && Finding == null;

    /// <summary>A short label grouping equal behaviours: the exception type and message with numbers removed.</summary>
    public string Signature
    {
        get
        {
            if (Finding is { } kind && kind != FindingKind.Crash) return kind.ToString();
            if (Error == null) return "accepted";
            // RESTORE's error is always "Bad data format": the reader's own message beneath it tells rejections apart.
            string text = Error is TieredKv.Rdb.DumpPayloadException { Cause: { } cause } ? cause.Message : Error.Message;
            // Words carrying numbers, quoted names or hex bytes vary per input, not per behaviour: leave them out.
            string message = string.Join(' ', text.Split(' ')
                .Where(w => w.Length > 0 && !w.Any(char.IsAsciiDigit) && w[0] is not ('\'' or '"' or '('))
                .Take(12));
            return $"{(Finding == null ? "rejected" : "crash")}:{Error.GetType().Name}:{message}";
        }
    }

    public string Describe() => Finding switch
    {
        FindingKind.Allocation => $"allocated {AllocatedBytes:N0} bytes, budget {AllocationBudget:N0}" + (Error != null ? $"; then threw {Error}" : ""),
        FindingKind.Hang => $"took {Elapsed.TotalMilliseconds:F0} ms" + (Error != null ? $"; then threw {Error}" : ""),
        FindingKind.Crash => Error!.ToString(),
        _ => Error?.ToString() ?? "accepted",
    };
}

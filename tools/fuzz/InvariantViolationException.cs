namespace TieredKv.Fuzz;

/// <summary>A target's own consistency check failed (e.g. chunked and whole parses disagree): always a finding.</summary>
internal sealed class InvariantViolationException(string message, Exception? inner = null) : Exception(message, inner);

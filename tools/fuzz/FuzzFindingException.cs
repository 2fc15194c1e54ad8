namespace TieredKv.Fuzz;

/// <summary>Raised in AFL mode so that a finding (including an allocation or time over budget) crashes the run and AFL keeps the input.</summary>
internal sealed class FuzzFindingException(string message, Exception? inner) : Exception(message, inner);

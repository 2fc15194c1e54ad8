namespace TieredKv;

/// <summary>What opening a store does when its log has a damaged record before the tail, or a data file is damaged or missing.</summary>
public enum RecoveryMode
{
    /// <summary>Refuse to open, naming the file and offset; nothing is changed. The default: no silent data loss.</summary>
    Strict,

    /// <summary>Open without what is damaged or missing, and log exactly what was left out.</summary>
    Salvage,
}

namespace TieredKv.Tools;

/// <summary>What a <see cref="ProgressDisplay"/> counts.</summary>
public enum ProgressUnit
{
    Bytes,
    Keys,
}

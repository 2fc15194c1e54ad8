namespace TieredKv.Rdb;

/// <summary>
/// One element of a collection value: a list item or set member (<see cref="Member"/> only), a hash field
/// with its <see cref="Value"/>, or a sorted-set member with its <see cref="Score"/>.
/// </summary>
public readonly record struct RdbElement(byte[] Member, byte[]? Value, double Score);

namespace TieredKv.Fuzz.Tests;

/// <summary>A target whose behaviour a test chooses, to prove the harness catches each kind of finding.</summary>
internal sealed class FakeTarget(string name, Action<byte[]> run) : IFuzzTarget
{
    public string Name => name;
    public long ProducedBytes => 0;
    public void Run(ReadOnlySpan<byte> input) => run(input.ToArray());
    public bool IsRejection(Exception e) => e is FormatException;
    public long AllocationBudget(int inputLength, long producedBytes) => (1 << 20) + 64L * inputLength;
    public byte[] Repair(byte[] input) => input;
    public IEnumerable<(string Name, byte[] Data)> Seeds() => [("seed", [1, 2, 3, 4])];
}

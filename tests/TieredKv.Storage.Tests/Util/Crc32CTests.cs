using System.Text;
using TieredKv.Storage.Util;

namespace TieredKv.Storage.Tests.Util;

public sealed class Crc32CTests
{
    [Fact]
    public void Compute_MatchesStandardCheckValue() =>
        Assert.Equal(0xE3069283u, Crc32C.Compute("123456789"u8));

    [Fact]
    public void Extend_EqualsComputeOverConcatenation()
    {
        var data = Encoding.ASCII.GetBytes("hello, checksummed world");
        Assert.Equal(Crc32C.Compute(data), Crc32C.Extend(Crc32C.Compute(data.AsSpan(0, 7)), data.AsSpan(7)));
    }

    [Fact]
    public void Mask_RoundTripsAndChangesValue()
    {
        uint crc = Crc32C.Compute("abc"u8);
        Assert.NotEqual(crc, Crc32C.Mask(crc));
        Assert.Equal(crc, Crc32C.Unmask(Crc32C.Mask(crc)));
    }
}

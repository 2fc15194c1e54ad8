using TieredKv.Storage.Util;

namespace TieredKv.Storage.Tests.Util;

public sealed class CodingTests
{
    [Theory]
    [InlineData(0UL)]
    [InlineData(127UL)]
    [InlineData(128UL)]
    [InlineData(300UL)]
    [InlineData(uint.MaxValue)]
    [InlineData(ulong.MaxValue)]
    public void Varint64_RoundTrips(ulong value)
    {
        Span<byte> buf = stackalloc byte[Coding.MaxVarint64Length];
        int written = Coding.WriteVarint64(buf, value);
        Assert.Equal(Coding.VarintLength(value), written);
        Assert.Equal(written, Coding.ReadVarint64(buf[..written], out ulong back));
        Assert.Equal(value, back);
    }

    [Fact]
    public void ReadVarint_ReturnsZero_WhenCutShort()
    {
        Span<byte> buf = stackalloc byte[Coding.MaxVarint64Length];
        int written = Coding.WriteVarint64(buf, 1UL << 40);
        Assert.Equal(0, Coding.ReadVarint64(buf[..(written - 1)], out _));
    }

    [Fact]
    public void ReadVarint32_RejectsValuesOver32Bits()
    {
        Span<byte> buf = stackalloc byte[Coding.MaxVarint64Length];
        int written = Coding.WriteVarint64(buf, 1UL << 33);
        Assert.Equal(0, Coding.ReadVarint32(buf[..written], out _));
    }
}

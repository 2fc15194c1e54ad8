using TieredKv.Keyspace;
using TieredKv.Server.Dispatch;
using TieredKv.Types.Geo;

namespace TieredKv.Server.Tests.Dispatch;

/// <summary>The library's typed errors as Redis words them.</summary>
public sealed class KvErrorTextTests
{
    [Fact]
    public void Protocol_Errors_Keep_Their_Text() =>
        Assert.Equal("BUSYKEY Target key name already exists.", KvErrorText.For(new KvException("BUSYKEY Target key name already exists.")));

    [Theory]
    [InlineData(KvErrorKind.WrongType, "WRONGTYPE Operation against a key holding the wrong kind of value")]
    [InlineData(KvErrorKind.InvalidHll, "WRONGTYPE Key is not a valid HyperLogLog string value.")]
    [InlineData(KvErrorKind.CorruptedHll, "INVALIDOBJ Corrupted HLL object detected")]
    [InlineData(KvErrorKind.NoSuchMember, "ERR could not decode requested zset member")]
    [InlineData(KvErrorKind.NotAString, "ERR The specified keys must contain string values")]
    [InlineData(KvErrorKind.TooLarge, "ERR string exceeds maximum allowed size (proto-max-bulk-len)")]
    public void Typed_Errors_Get_Redis_Text(KvErrorKind kind, string text) =>
        Assert.Equal(text, KvErrorText.For(new KvException(kind, "library wording")));

    [Fact]
    public void Out_Of_Range_Coordinates_Print_As_Redis() =>
        Assert.Equal("ERR invalid longitude,latitude pair 200.000000,-inf",
            KvErrorText.For(new InvalidCoordinatesException(200, double.NegativeInfinity)));
}

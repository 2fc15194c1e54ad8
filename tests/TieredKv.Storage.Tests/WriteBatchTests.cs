using TieredKv.Storage.Format;

namespace TieredKv.Storage.Tests;

public sealed class WriteBatchTests
{
    [Fact]
    public void Reader_ReturnsOperationsInOrder()
    {
        var batch = new WriteBatch();
        batch.Put("a"u8, "1"u8);
        batch.Delete("b"u8);
        batch.DeleteRange("c"u8, "d"u8);

        var reader = batch.GetReader();
        Assert.Equal(3, reader.DeclaredCount);
        Assert.True(reader.MoveNext());
        Assert.Equal(EntryType.Value, reader.Type);
        Assert.Equal("a"u8.ToArray(), reader.Key.ToArray());
        Assert.Equal("1"u8.ToArray(), reader.Value.ToArray());
        Assert.True(reader.MoveNext());
        Assert.Equal(EntryType.Deletion, reader.Type);
        Assert.Equal("b"u8.ToArray(), reader.Key.ToArray());
        Assert.True(reader.MoveNext());
        Assert.Equal(EntryType.RangeDeletion, reader.Type);
        Assert.Equal("d"u8.ToArray(), reader.Value.ToArray());
        Assert.False(reader.MoveNext());
    }

    [Fact]
    public void PutInPlace_EncodesAsPutOfTheBytesWrittenIntoItsSpan()
    {
        var inPlace = new WriteBatch();
        "value"u8.CopyTo(inPlace.PutInPlace("key"u8, 5));
        inPlace.Delete("after"u8);
        var plain = new WriteBatch();
        plain.Put("key"u8, "value"u8);
        plain.Delete("after"u8);
        Assert.Equal(plain.Representation.ToArray(), inPlace.Representation.ToArray());
    }

    [Fact]
    public void Clear_LeavesAnEmptyBatchThatEncodesLikeANewOne()
    {
        var batch = new WriteBatch();
        batch.Put("k"u8, new byte[1000]);
        batch.Clear();
        batch.Delete("x"u8);
        var fresh = new WriteBatch();
        fresh.Delete("x"u8);
        Assert.Equal(1, batch.Count);
        Assert.Equal(fresh.Representation.ToArray(), batch.Representation.ToArray());
    }

    [Fact]
    public void FromRepresentation_RoundTrips()
    {
        var batch = new WriteBatch();
        batch.Put("key"u8, new byte[300]);
        batch.Delete("gone"u8);
        var copy = WriteBatch.FromRepresentation(batch.Representation);
        Assert.Equal(2, copy.Count);
        Assert.Equal(batch.Representation.ToArray(), copy.Representation.ToArray());
    }

    [Fact]
    public void FromRepresentation_Throws_WhenCountDisagrees()
    {
        var batch = new WriteBatch();
        batch.Put("k"u8, "v"u8);
        var bytes = batch.Representation.ToArray();
        bytes[0] = 2;
        Assert.Throws<FormatException>(() => WriteBatch.FromRepresentation(bytes));
    }

    [Fact]
    public void FromRepresentation_Throws_WhenOperationCutShort()
    {
        var batch = new WriteBatch();
        batch.Put("key"u8, "value"u8);
        var bytes = batch.Representation.ToArray();
        Assert.Throws<FormatException>(() => WriteBatch.FromRepresentation(bytes.AsSpan(0, bytes.Length - 1)));
    }

    [Fact]
    public void Append_ConcatenatesOperations()
    {
        var a = new WriteBatch();
        a.Put("a"u8, "1"u8);
        var b = new WriteBatch();
        b.Delete("b"u8);
        a.Append(b);
        Assert.Equal(2, a.Count);
        var reader = a.GetReader();
        Assert.True(reader.MoveNext());
        Assert.True(reader.MoveNext());
        Assert.Equal(EntryType.Deletion, reader.Type);
    }
}

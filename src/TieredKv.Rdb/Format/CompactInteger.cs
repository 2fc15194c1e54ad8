using System.Globalization;
using System.Text;

namespace TieredKv.Rdb.Format;

/// <summary>Integers stored in compact encodings are values of strings: Redis gives them back as their decimal text.</summary>
internal static class CompactInteger
{
    public static byte[] ToBytes(long value) => Encoding.ASCII.GetBytes(value.ToString(CultureInfo.InvariantCulture));
}

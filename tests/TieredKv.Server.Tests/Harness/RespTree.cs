using System.Text;

namespace TieredKv.Server.Tests.Harness;

/// <summary>
/// A reply parsed into a tree so a test can compare replies whose only freedom is an order Redis leaves to its
/// hash tables (subcommands): scalars keep their exact bytes, aggregates their type; maps (RESP3 <c>%</c>) hold
/// keys and values alternately, as RESP2's flattened arrays do.
/// </summary>
public sealed class RespTree
{
    private RespTree(char type, byte[] scalar, List<RespTree> children) => (Type, Scalar, Children) = (type, scalar, children);

    /// <summary><c>*</c>, <c>~</c>, <c>%</c>, <c>&gt;</c> for aggregates; the scalar's own type byte otherwise.</summary>
    public char Type { get; }

    /// <summary>A scalar's whole encoding (type byte to the last CRLF); empty for aggregates.</summary>
    public byte[] Scalar { get; }

    public List<RespTree> Children { get; }

    public bool IsAggregate => Type is '*' or '~' or '%' or '>';

    /// <summary>A bulk or simple string's text (null for anything else).</summary>
    public string? Text
    {
        get
        {
            if (Type == '+') return Encoding.UTF8.GetString(Scalar, 1, Scalar.Length - 3);
            if (Type != '$') return null;
            int start = Array.IndexOf(Scalar, (byte)'\n') + 1;
            return start <= 0 || Scalar.Length - 2 < start ? null : Encoding.UTF8.GetString(Scalar, start, Scalar.Length - 2 - start);
        }
    }

    /// <summary>An integer reply's value (null for anything else).</summary>
    public long? Integer => Type == ':' ? long.Parse(Encoding.ASCII.GetString(Scalar, 1, Scalar.Length - 3), System.Globalization.CultureInfo.InvariantCulture) : null;

    public static RespTree Parse(byte[] reply)
    {
        int at = 0;
        var tree = Read(reply, ref at);
        if (at != reply.Length) throw new FormatException($"{reply.Length - at} bytes after the reply");
        return tree;
    }

    /// <summary>The same tree with these children (an aggregate's header is recomputed from them).</summary>
    public RespTree With(List<RespTree> children) => new(Type, Scalar, children);

    public byte[] ToBytes()
    {
        var output = new MemoryStream();
        Write(output);
        return output.ToArray();
    }

    public override string ToString() => Encoding.UTF8.GetString(ToBytes()).Replace("\r\n", "\\r\\n");

    private void Write(MemoryStream output)
    {
        if (!IsAggregate)
        {
            output.Write(Scalar);
            return;
        }
        output.Write(Encoding.ASCII.GetBytes($"{Type}{(Type == '%' ? Children.Count / 2 : Children.Count)}\r\n"));
        foreach (var child in Children) child.Write(output);
    }

    private static RespTree Read(byte[] data, ref int at)
    {
        int start = at;
        int lineEnd = Array.IndexOf(data, (byte)'\n', at);
        if (lineEnd < 0) throw new FormatException("truncated reply");
        char type = (char)data[at];
        string header = Encoding.ASCII.GetString(data, at + 1, lineEnd - 1 - (at + 1));
        at = lineEnd + 1;
        switch (type)
        {
            case '*' or '~' or '%' or '>':
                int count = int.Parse(header, System.Globalization.CultureInfo.InvariantCulture);
                if (count < 0) return new RespTree('_', data[start..at], []); // RESP2's null array: a scalar here
                var children = new List<RespTree>();
                for (int i = 0; i < (type == '%' ? 2 * count : count); i++) children.Add(Read(data, ref at));
                return new RespTree(type, [], children);
            case '$' or '!' or '=':
                int length = int.Parse(header, System.Globalization.CultureInfo.InvariantCulture);
                if (length >= 0) at += length + 2;
                return new RespTree(type, data[start..at], []);
            default:
                return new RespTree(type, data[start..at], []);
        }
    }
}

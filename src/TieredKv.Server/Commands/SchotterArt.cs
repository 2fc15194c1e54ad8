using System.Text;

namespace TieredKv.Server.Commands;

/// <summary>
/// LOLWUT VERSION 5's picture: Georg Nees's "Schotter", a grid of squares increasingly rotated and displaced
/// towards the bottom, drawn on a canvas of Braille characters (2×4 dots each), as Redis's lolwut5.c draws it.
/// </summary>
internal sealed class SchotterArt
{
    private readonly int _width, _height;
    private readonly bool[] _pixels;

    private SchotterArt(int width, int height)
    {
        _width = width;
        _height = height;
        _pixels = new bool[width * height];
    }

    /// <summary>The picture for <paramref name="columns"/> terminal columns, as text lines joined by newlines.</summary>
    public static string Draw(int columns, int squaresPerRow, int squaresPerColumn, Random random)
    {
        int width = columns * 2;
        int padding = width > 4 ? 2 : 0;
        float side = (float)(width - padding * 2) / squaresPerRow;
        int height = (int)(side * squaresPerColumn + padding * 2);
        var art = new SchotterArt(width, height);
        for (int y = 0; y < squaresPerColumn; y++)
        {
            for (int x = 0; x < squaresPerRow; x++)
            {
                int cx = (int)(x * side + side / 2 + padding);
                int cy = (int)(y * side + side / 2 + padding);
                float angle = 0;
                // The first two rows stay straight; disorder grows with the row.
                if (y > 1)
                {
                    float r1 = random.NextSingle() / squaresPerColumn * y;
                    float r2 = random.NextSingle() / squaresPerColumn * y;
                    float r3 = random.NextSingle() / squaresPerColumn * y;
                    if (random.Next(2) == 1) r1 = -r1;
                    if (random.Next(2) == 1) r2 = -r2;
                    if (random.Next(2) == 1) r3 = -r3;
                    angle = r1;
                    cx += (int)(r2 * side / 3);
                    cy += (int)(r3 * side / 3);
                }
                art.Square(cx, cy, side, angle);
            }
        }
        return art.Render();
    }

    private void Set(int x, int y)
    {
        if (x < 0 || x >= _width || y < 0 || y >= _height) return;
        _pixels[y * _width + x] = true;
    }

    private bool Get(int x, int y) => x >= 0 && x < _width && y >= 0 && y < _height && _pixels[y * _width + x];

    /// <summary>A square of side <paramref name="size"/> centred at (x, y), rotated by <paramref name="angle"/> radians.</summary>
    private void Square(int x, int y, float size, float angle)
    {
        var px = new int[4];
        var py = new int[4];
        // The corners sit on a circle of radius size/√2, a quarter turn apart, starting at 45°.
        size /= 1.4142135f;
        size = MathF.Round(size);
        float k = MathF.PI / 4 + angle;
        for (int j = 0; j < 4; j++)
        {
            px[j] = (int)MathF.Round(MathF.Sin(k) * size + x);
            py[j] = (int)MathF.Round(MathF.Cos(k) * size + y);
            k += MathF.PI / 2;
        }
        for (int j = 0; j < 4; j++) Line(px[j], py[j], px[(j + 1) % 4], py[(j + 1) % 4]);
    }

    /// <summary>Bresenham's line.</summary>
    private void Line(int x1, int y1, int x2, int y2)
    {
        int dx = Math.Abs(x2 - x1), dy = Math.Abs(y2 - y1);
        int sx = x1 < x2 ? 1 : -1, sy = y1 < y2 ? 1 : -1;
        int error = dx - dy;
        while (true)
        {
            Set(x1, y1);
            if (x1 == x2 && y1 == y2) break;
            int e2 = error * 2;
            if (e2 > -dy)
            {
                error -= dy;
                x1 += sx;
            }
            if (e2 < dx)
            {
                error += dx;
                y1 += sy;
            }
        }
    }

    /// <summary>Each 2×4 block of pixels becomes one Braille character (U+2800 plus the dot bits).</summary>
    private string Render()
    {
        var text = new StringBuilder();
        for (int y = 0; y < _height; y += 4)
        {
            for (int x = 0; x < _width; x += 2)
            {
                int bits = 0;
                if (Get(x, y)) bits |= 1 << 0;
                if (Get(x, y + 1)) bits |= 1 << 1;
                if (Get(x, y + 2)) bits |= 1 << 2;
                if (Get(x + 1, y)) bits |= 1 << 3;
                if (Get(x + 1, y + 1)) bits |= 1 << 4;
                if (Get(x + 1, y + 2)) bits |= 1 << 5;
                if (Get(x, y + 3)) bits |= 1 << 6;
                if (Get(x + 1, y + 3)) bits |= 1 << 7;
                text.Append((char)(0x2800 + bits));
            }
            text.Append('\n'); // every row ends with a newline, the last too, as Redis renders it
        }
        return text.ToString();
    }
}

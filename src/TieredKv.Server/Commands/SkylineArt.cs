using System.Text;

namespace TieredKv.Server.Commands;

/// <summary>
/// LOLWUT VERSION 6's picture: a city skyline in the four grays of a Game Boy (after Plaguemon), two rows of
/// window-less buildings behind one of dark buildings with lit windows. Each pixel is one terminal cell painted
/// with ANSI colours, as Redis's lolwut6.c renders it.
/// </summary>
internal sealed class SkylineArt
{
    private const int Black = 0, White = 3;

    private readonly int _width, _height;
    private readonly int[] _pixels;
    private readonly Random _random;

    private SkylineArt(int width, int height, Random random)
    {
        _width = width;
        _height = height;
        _random = random;
        _pixels = new int[width * height];
        Array.Fill(_pixels, White);
    }

    /// <summary>The picture for <paramref name="columns"/> × <paramref name="rows"/> cells, rows joined by newlines.</summary>
    public static string Draw(int columns, int rows, Random random)
    {
        var art = new SkylineArt(columns, rows, random);
        art.Skyline();
        return art.Render();
    }

    private int Get(int x, int y) => x >= 0 && x < _width && y >= 0 && y < _height ? _pixels[y * _width + x] : 0;

    private void Set(int x, int y, int color)
    {
        if (x < 0 || x >= _width || y < 0 || y >= _height) return;
        _pixels[y * _width + x] = color;
    }

    private void Skyline()
    {
        // The lighter gray first, so it always stays behind the darker one.
        for (int color = 2; color >= 1; color--)
        {
            for (int offset = -10; offset < _width;)
            {
                offset += _random.Next(8);
                int width = 10 + _random.Next(9);
                int height = _height / 2 + _random.Next(_height) / (color == 2 ? 2 : 3);
                Building(offset, width, height, windows: false, color);
                offset += color == 2 ? width / 2 : width + 1;
            }
        }
        for (int offset = -10; offset < _width;)
        {
            offset += _random.Next(8);
            int width = 5 + _random.Next(14);
            if (width % 4 != 0) width += width % 3;
            int height = _height / 3 + _random.Next(_height) / 2;
            Building(offset, width, height, windows: true, Black);
            offset += width + 5;
        }
    }

    /// <summary>One building standing on the bottom row; its roof is two cells narrower on each side; windows are lit in gray.</summary>
    private void Building(int left, int width, int height, bool windows, int color)
    {
        int bottom = _height - 1, top = bottom - height + 1;
        for (int y = bottom; y >= top; y--)
        {
            for (int x = left; x < left + width; x++)
            {
                if (y == top && (x <= left + 1 || x >= left + width - 2)) continue;
                int pixel = color;
                if (windows && x > left + 1 && x < left + width - 2 && y > top + 1 && y < bottom - 1)
                {
                    int column = x - (left + 1), row = y - (top + 1);
                    // Windows are two cells wide and one tall (terminal cells are not square), on every other row.
                    if ((column / 2) % 2 != 0 && row % 2 != 0)
                    {
                        do pixel = 1 + _random.Next(2);
                        while (pixel == color);
                        if (column % 2 != 0) pixel = Get(x - 1, y); // the window's second cell matches its first
                    }
                }
                Set(x, y, pixel);
            }
        }
    }

    private string Render()
    {
        var text = new StringBuilder();
        for (int y = 0; y < _height; y++)
        {
            for (int x = 0; x < _width; x++)
            {
                // Foreground and background both set: terminals then agree on the shade.
                string escape = Get(x, y) switch
                {
                    1 => "0;90;100m",
                    2 => "0;37;47m",
                    3 => "0;97;107m",
                    _ => "0;30;40m",
                };
                text.Append('\u001b').Append('[').Append(escape).Append(" \u001b[0m");
            }
            if (y != _height - 1) text.Append('\n');
        }
        return text.ToString();
    }
}

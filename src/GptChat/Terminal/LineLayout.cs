using System.Text;

namespace GptChat.Cli.Terminal;

/// <summary>A cell of the edited line's rendering: rows counted from the prompt's row, columns from 0.</summary>
internal readonly record struct ScreenPosition(int Row, int Column);

/// <summary>
/// Where prompt and line land on a terminal <see cref="Columns"/> wide that wraps long lines: which cell each
/// character starts in. It follows what terminals do, so the editor can move its cursor without asking the
/// terminal: a character that does not fit in what is left of a row goes to the next one, so a wide (two-column)
/// character never splits and leaves the last cell blank instead; writing the last column of a row keeps the
/// cursor there ("pending wrap") until something else is written.
/// </summary>
internal sealed class LineLayout
{
    // _starts[i] is where line[i] starts, _starts[^1] where writing prompt and line leaves off. Column may equal
    // Columns: the terminal's cursor then sits on the row's last cell with a wrap pending.
    private readonly ScreenPosition[] _starts;

    private LineLayout(int columns, ScreenPosition[] starts)
    {
        Columns = columns;
        _starts = starts;
    }

    public int Columns { get; }

    /// <summary>
    /// Whether writing prompt and line fills its last row exactly: the terminal's cursor is then left in the
    /// pending-wrap state, one row above where <see cref="End"/> says, until the editor moves it there.
    /// </summary>
    public bool EndsAtRowEnd => _starts[^1].Column == Columns;

    /// <summary>Where the cursor shows after the whole line: the next row's start when the line ends at a row's end.</summary>
    public ScreenPosition End => CursorAt(_starts.Length - 1);

    /// <param name="prompt">May hold colour codes (CSI sequences), which take no columns.</param>
    public static LineLayout Of(string prompt, IReadOnlyList<Rune> line, int columns)
    {
        var starts = new ScreenPosition[line.Count + 1];
        var row = 0;
        var column = 0;
        foreach (var rune in VisibleRunes(prompt))
            Place(rune, columns, ref row, ref column);
        for (var i = 0; i < line.Count; i++)
            starts[i] = Place(line[i], columns, ref row, ref column);
        starts[^1] = new ScreenPosition(row, column);
        return new LineLayout(columns, starts);
    }

    /// <summary>Where the cursor shows when it stands before line[index] (index = line length: after the line).</summary>
    public ScreenPosition CursorAt(int index)
    {
        var start = _starts[index];
        return start.Column == Columns ? new ScreenPosition(start.Row + 1, 0) : start;
    }

    /// <summary>Advances past one character; returns the cell it starts in.</summary>
    private static ScreenPosition Place(Rune rune, int columns, ref int row, ref int column)
    {
        var width = DisplayWidth.Of(rune);
        if (width > 0 && column + width > columns)
        {
            row++;
            column = 0;
        }
        var start = new ScreenPosition(row, column);
        column += width;
        return start;
    }

    /// <summary>The prompt's characters without its CSI sequences (ESC [ parameters final-byte).</summary>
    private static IEnumerable<Rune> VisibleRunes(string text)
    {
        var inEscape = false;
        var afterEsc = false;
        foreach (var rune in text.EnumerateRunes())
        {
            var v = rune.Value;
            if (afterEsc)
            {
                afterEsc = false;
                inEscape = v == '[';
                continue;
            }
            if (inEscape)
            {
                inEscape = v is < 0x40 or > 0x7E;   // a final byte ends the sequence
                continue;
            }
            if (v == 0x1b)
            {
                afterEsc = true;
                continue;
            }
            yield return rune;
        }
    }
}

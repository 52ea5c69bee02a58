using System.Globalization;
using System.Text;

namespace GptChat.Tests.Chat;

/// <summary>
/// A tiny xterm-like screen behind a tty, for checking what the line editor draws, cell by cell: it interprets CR,
/// LF (as CR LF, the tty's default output translation), the CSI sequences A/B/C/D (cursor moves), K and J (erase
/// to end of row / screen) and m (colours, ignored), with autowrap as xterm does it: writing into the last column leaves the cursor there with a pending wrap, and the
/// next character goes to the start of the next row (scrolling at the bottom). A wide character takes two cells and
/// never splits: if only the last cell of a row is left, it goes whole to the next row. Anything else the editor
/// might emit throws, so a test cannot pass on output a real terminal would show differently.
/// </summary>
internal sealed class VirtualTerminal
{
    // A cell holds the text drawn there, "" for the right half of a wide character, or null when blank.
    private readonly List<string?[]> _rows = [];
    private readonly int _columns;
    private int _row, _column;
    private bool _pendingWrap;

    public VirtualTerminal(int columns, int rows = 24)
    {
        _columns = columns;
        for (var i = 0; i < rows; i++)
            _rows.Add(new string?[columns]);
    }

    /// <summary>The cursor: row and column on the screen, from 0.</summary>
    public (int Row, int Column) Cursor => (_row, _column);

    /// <summary>Whether the last column was just written and the next character will wrap first.</summary>
    public bool PendingWrap => _pendingWrap;

    /// <summary>The screen's rows, trailing blanks cut, trailing blank rows left out.</summary>
    public IReadOnlyList<string> Rows
    {
        get
        {
            var rows = _rows.Select(RowText).ToList();
            while (rows.Count > 0 && rows[^1].Length == 0)
                rows.RemoveAt(rows.Count - 1);
            return rows;
        }
    }

    public void Write(string output)
    {
        var runes = output.EnumerateRunes().ToList();
        for (var i = 0; i < runes.Count; i++)
        {
            var rune = runes[i];
            switch (rune.Value)
            {
                case '\r':
                    _column = 0;
                    _pendingWrap = false;
                    break;
                case '\n':
                    _column = 0;   // the tty's output translation (ONLCR, on by default) makes it CR LF
                    LineFeed();
                    break;
                case 0x1b:
                    i = Escape(runes, i);
                    break;
                default:
                    if (rune.Value < 0x20 || rune.Value == 0x7f)
                        throw new NotSupportedException($"control character U+{rune.Value:X4} at {i} in {Show(output)}");
                    Print(rune);
                    break;
            }
        }
    }

    private void Print(Rune rune)
    {
        var width = WidthOf(rune);
        if (width == 0)
        {
            // A combining mark joins the character before the cursor (the one under it while a wrap is pending).
            var column = _pendingWrap ? _column : Math.Max(0, _column - 1);
            if (_rows[_row][column] == "" && column > 0)
                column--;
            _rows[_row][column] += rune.ToString();
            return;
        }
        if (_pendingWrap || _column + width > _columns)
        {
            _column = 0;
            LineFeed();
        }
        Put(_column, rune.ToString());
        if (width == 2)
            Put(_column + 1, "");
        _column += width;
        if (_column == _columns)
        {
            _column = _columns - 1;
            _pendingWrap = true;
        }
    }

    /// <summary>Puts text in a cell ("" for a right half); a wide character it half covers is erased whole, as terminals do.</summary>
    private void Put(int column, string text)
    {
        var row = _rows[_row];
        if (text != "" && row[column] == "" && column > 0)
            row[column - 1] = null;
        if (row[column] is { Length: > 0 } && column + 1 < _columns && row[column + 1] == "")
            row[column + 1] = null;
        row[column] = text;
    }

    private void LineFeed()
    {
        _pendingWrap = false;
        if (_row + 1 < _rows.Count)
        {
            _row++;
            return;
        }
        _rows.RemoveAt(0);
        _rows.Add(new string?[_columns]);
    }

    /// <summary>Interprets the CSI sequence starting at <paramref name="start"/>; returns the index of its last rune.</summary>
    private int Escape(List<Rune> runes, int start)
    {
        var i = start + 1;
        if (i >= runes.Count || runes[i].Value != '[')
            throw new NotSupportedException($"escape sequence other than CSI at {start}");
        var parameters = new StringBuilder();
        while (++i < runes.Count && (char.IsAsciiDigit((char)runes[i].Value) || runes[i].Value == ';'))
            parameters.Append((char)runes[i].Value);
        if (i >= runes.Count)
            throw new NotSupportedException("unterminated CSI sequence");
        var text = parameters.ToString();
        var n = text.Length == 0 ? 1 : int.Parse(text, CultureInfo.InvariantCulture);
        switch ((char)runes[i].Value)
        {
            case 'A': _row = Math.Max(0, _row - n); break;
            case 'B': _row = Math.Min(_rows.Count - 1, _row + n); break;
            case 'C': _column = Math.Min(_columns - 1, _column + n); break;
            case 'D': _column = Math.Max(0, _column - n); break;
            case 'K' when text is "" or "0":
                Erase(_row, _column);
                break;
            case 'J' when text is "" or "0":
                Erase(_row, _column);
                for (var row = _row + 1; row < _rows.Count; row++)
                    Erase(row, 0);
                break;
            case 'm':
                return i;   // colours do not move anything
            default:
                throw new NotSupportedException($"CSI {text}{(char)runes[i].Value} is not emulated");
        }
        _pendingWrap = false;   // xterm: every cursor move and erase cancels a pending wrap
        return i;
    }

    private void Erase(int row, int from)
    {
        if (from > 0 && _rows[row][from] == "")
            _rows[row][from - 1] = null;
        Array.Fill(_rows[row], null, from, _columns - from);
    }

    private static string RowText(string?[] cells) =>
        string.Concat(cells.Select(c => c ?? " ")).TrimEnd(' ');

    /// <summary>Columns a character takes on the emulated terminal (its own table, not the editor's).</summary>
    private static int WidthOf(Rune rune)
    {
        if (Rune.GetUnicodeCategory(rune) is UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark)
            return 0;
        return rune.Value is >= 0x3000 and <= 0x303F or >= 0x4E00 and <= 0x9FFF or >= 0xAC00 and <= 0xD7A3
            or >= 0xFF01 and <= 0xFF60 or >= 0x1F300 and <= 0x1F64F ? 2 : 1;
    }

    private static string Show(string output) => output.Replace("\u001b", "\\e").Replace("\r", "\\r").Replace("\n", "\\n");
}

using System.Text;

namespace GptChat.Cli.Terminal;

/// <summary>
/// A small line editor for the interactive prompt: insert anywhere, Left/Right, Home/End (Ctrl+A/E), Backspace,
/// Delete, Ctrl+U/K/W, Up/Down through the history, Ctrl+D (end on an empty line), Ctrl+C (abandon the line).
/// It draws with ANSI sequences. A line wider than the terminal wraps onto more rows, and the editor follows it
/// (what readline calls multi-line mode): it knows from <see cref="LineLayout"/> which row and column the terminal's
/// cursor is on, so a redraw goes back up to the prompt's row, clears to the end of the screen and writes prompt and
/// line again. When the width cannot be read it draws on one row, as if the terminal were wide enough.
/// </summary>
internal sealed class LineEditor(IKeySource keys, TextWriter screen, IList<string> history, ITerminalSize? terminal = null)
{
    private readonly List<Rune> _line = [];
    private int _cursor;
    private string _prompt = "";
    // The width the line was last drawn for (0: on one row) and where the terminal's cursor is in that drawing.
    // Both come from what was written, never from asking the terminal, which would need a round trip per key.
    private int _drawnColumns;
    private ScreenPosition _shown;

    public LineRead ReadLine(string prompt)
    {
        _prompt = prompt;
        _line.Clear();
        _cursor = 0;
        _drawnColumns = 0;
        _shown = default;   // the prompt starts at the beginning of a row
        var browsing = history.Count;    // index into history; Count = the line being typed
        var typed = "";
        char? highSurrogate = null;
        Redraw();

        while (true)
        {
            ConsoleKeyInfo key;
            try
            {
                key = keys.ReadKey();
            }
            catch (Exception e) when (e is InvalidOperationException or IOException)
            {
                return new LineRead(LineReadKind.EndOfInput);
            }

            var ctrl = key.Modifiers.HasFlag(ConsoleModifiers.Control);
            if (ctrl && key.Key == ConsoleKey.C || key.KeyChar == '\u0003')
            {
                Finish("^C\n");
                return new LineRead(LineReadKind.Interrupt, Text);
            }
            if (ctrl && key.Key == ConsoleKey.D || key.KeyChar == '\u0004')
            {
                if (_line.Count == 0)
                {
                    Finish("\n");
                    return new LineRead(LineReadKind.EndOfInput);
                }
                Delete();
                continue;
            }

            switch (key.Key)
            {
                case ConsoleKey.Enter:
                    Finish("\n");
                    return new LineRead(LineReadKind.Line, Text);
                case ConsoleKey.Backspace:
                    if (_cursor > 0)
                    {
                        _line.RemoveAt(--_cursor);
                        Redraw();
                    }
                    continue;
                case ConsoleKey.Delete:
                    Delete();
                    continue;
                case ConsoleKey.LeftArrow:
                    Move(_cursor - 1);
                    continue;
                case ConsoleKey.RightArrow:
                    Move(_cursor + 1);
                    continue;
                case ConsoleKey.Home:
                    Move(0);
                    continue;
                case ConsoleKey.End:
                    Move(_line.Count);
                    continue;
                case ConsoleKey.UpArrow:
                case ConsoleKey.DownArrow:
                    var next = browsing + (key.Key == ConsoleKey.UpArrow ? -1 : 1);
                    if (next < 0 || next > history.Count)
                        continue;
                    if (browsing == history.Count)
                        typed = Text;
                    browsing = next;
                    Replace(browsing == history.Count ? typed : history[browsing]);
                    continue;
            }

            if (ctrl)
            {
                switch (key.Key)
                {
                    case ConsoleKey.A: Move(0); break;
                    case ConsoleKey.E: Move(_line.Count); break;
                    case ConsoleKey.B: Move(_cursor - 1); break;
                    case ConsoleKey.F: Move(_cursor + 1); break;
                    case ConsoleKey.U: _line.RemoveRange(0, _cursor); _cursor = 0; Redraw(); break;
                    case ConsoleKey.K: _line.RemoveRange(_cursor, _line.Count - _cursor); Redraw(); break;
                    case ConsoleKey.W: DeleteWordBefore(); break;
                }
                continue;
            }

            var c = key.KeyChar == '\t' ? ' ' : key.KeyChar;
            if (char.IsHighSurrogate(c))
            {
                highSurrogate = c;
                continue;
            }
            Rune rune;
            if (char.IsLowSurrogate(c) && highSurrogate is char high)
                rune = new Rune(high, c);
            else if (char.IsSurrogate(c) || char.IsControl(c))
                continue;
            else
                rune = new Rune(c);
            highSurrogate = null;
            Insert(rune);
        }
    }

    private string Text => string.Concat(_line.Select(r => r.ToString()));

    private void Delete()
    {
        if (_cursor < _line.Count)
        {
            _line.RemoveAt(_cursor);
            Redraw();
        }
    }

    private void DeleteWordBefore()
    {
        var start = _cursor;
        while (start > 0 && Rune.IsWhiteSpace(_line[start - 1]))
            start--;
        while (start > 0 && !Rune.IsWhiteSpace(_line[start - 1]))
            start--;
        _line.RemoveRange(start, _cursor - start);
        _cursor = start;
        Redraw();
    }

    private void Insert(Rune rune)
    {
        var atEnd = _cursor == _line.Count;
        _line.Insert(_cursor++, rune);
        // Typing (or pasting) at the end only needs the new character written: a full redraw per key would send a
        // pasted line's length squared to the terminal. A zero-width character joins the one before it, which may
        // sit on the row above: redraw for those.
        var width = DisplayWidth.Of(rune);
        var columns = Columns();
        if (!atEnd || width == 0 || columns != _drawnColumns)
        {
            Redraw();
            return;
        }
        var text = rune.ToString();
        if (columns > 0)
        {
            // The terminal wraps as LineLayout says: a character that does not fit goes whole to the next row, and
            // one that fills the row is followed by CR LF so the cursor never waits in the pending-wrap state.
            var row = _shown.Row;
            var column = _shown.Column;
            if (column + width > columns)
                (row, column) = (row + 1, 0);
            column += width;
            if (column == columns)
            {
                text += "\r\n";
                (row, column) = (row + 1, 0);
            }
            _shown = new ScreenPosition(row, column);
        }
        screen.Write(text);
        screen.Flush();
    }

    private void Move(int position)
    {
        position = Math.Clamp(position, 0, _line.Count);
        if (position == _cursor)
            return;
        _cursor = position;
        var columns = Columns();
        if (columns == 0 || columns != _drawnColumns)
        {
            Redraw();
            return;
        }
        var moves = new StringBuilder();
        MoveCursor(moves, LineLayout.Of(_prompt, _line, columns).CursorAt(_cursor));
        screen.Write(moves.ToString());
        screen.Flush();
    }

    /// <summary>
    /// Ends the line: the cursor goes below all of it, so what is printed next cannot overwrite its tail, then
    /// <paramref name="ending"/> is written. A line that filled its last row already has the cursor on a fresh row
    /// (see <see cref="Redraw"/>), where a plain newline would only add a blank one.
    /// </summary>
    private void Finish(string ending)
    {
        Move(_line.Count);
        if (ending == "\n" && _drawnColumns > 0 && LineLayout.Of(_prompt, _line, _drawnColumns).EndsAtRowEnd)
            ending = "";
        screen.Write(ending);
        screen.Flush();
    }

    private void Replace(string text)
    {
        _line.Clear();
        _line.AddRange(text.EnumerateRunes());
        _cursor = _line.Count;
        Redraw();
    }

    /// <summary>
    /// Rewrites prompt and line from the prompt's row, clears whatever an earlier, longer drawing left below, and
    /// puts the cursor back in place.
    /// </summary>
    private void Redraw()
    {
        var columns = Columns();
        var sb = new StringBuilder();
        if (_shown.Row > 0)
            sb.Append(Csi(_shown.Row, 'A'));
        sb.Append('\r');
        if (columns > 0)
            sb.Append("\u001b[J");
        sb.Append(_prompt);
        foreach (var rune in _line)
            sb.Append(rune.ToString());

        if (columns == 0)
        {
            sb.Append("\u001b[K");
            var after = 0;
            for (var i = _cursor; i < _line.Count; i++)
                after += DisplayWidth.Of(_line[i]);
            if (after > 0)
                sb.Append(Csi(after, 'D'));
            _shown = default;
        }
        else
        {
            var layout = LineLayout.Of(_prompt, _line, columns);
            // A line that fills its last row leaves the cursor on that row's last cell with a wrap pending, where
            // terminals differ on what the next move does; CR LF puts it at the next row's start on all of them.
            if (layout.EndsAtRowEnd)
                sb.Append("\r\n");
            _shown = layout.End;
            MoveCursor(sb, layout.CursorAt(_cursor));
        }
        _drawnColumns = columns;
        screen.Write(sb.ToString());
        screen.Flush();
    }

    /// <summary>Appends the relative moves from where the cursor is shown to <paramref name="target"/>.</summary>
    private void MoveCursor(StringBuilder sb, ScreenPosition target)
    {
        if (target.Row < _shown.Row)
            sb.Append(Csi(_shown.Row - target.Row, 'A'));
        else if (target.Row > _shown.Row)
            sb.Append(Csi(target.Row - _shown.Row, 'B'));
        if (target.Column == 0 && _shown.Column > 0)
            sb.Append('\r');
        else if (target.Column > _shown.Column)
            sb.Append(Csi(target.Column - _shown.Column, 'C'));
        else if (target.Column < _shown.Column)
            sb.Append(Csi(_shown.Column - target.Column, 'D'));
        _shown = target;
    }

    /// <summary>
    /// The terminal's width, read for every drawing since the window may be resized between keys; 0 when it
    /// cannot be read or is too narrow for a wide character, which then means drawing on one row.
    /// </summary>
    private int Columns()
    {
        if (terminal is null)
            return 0;
        try
        {
            var columns = terminal.Columns;
            return columns >= 2 ? columns : 0;
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or PlatformNotSupportedException)
        {
            return 0;
        }
    }

    private static string Csi(int count, char command) => $"\u001b[{count}{command}";
}

using System.Text;

namespace GptChat.Cli.Terminal;

/// <summary>
/// A small line editor for the interactive prompt: insert anywhere, Left/Right, Home/End (Ctrl+A/E), Backspace,
/// Delete, Ctrl+U/K/W, Up/Down through the history, Ctrl+D (end on an empty line), Ctrl+C (abandon the line).
/// It redraws the line after each key with ANSI sequences; a line longer than the terminal is not re-wrapped.
/// </summary>
internal sealed class LineEditor(IKeySource keys, TextWriter screen, IList<string> history)
{
    private readonly List<Rune> _line = [];
    private int _cursor;
    private string _prompt = "";

    public LineRead ReadLine(string prompt)
    {
        _prompt = prompt;
        _line.Clear();
        _cursor = 0;
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
                screen.Write("^C\n");
                screen.Flush();
                return new LineRead(LineReadKind.Interrupt, Text);
            }
            if (ctrl && key.Key == ConsoleKey.D || key.KeyChar == '\u0004')
            {
                if (_line.Count == 0)
                {
                    screen.Write("\n");
                    screen.Flush();
                    return new LineRead(LineReadKind.EndOfInput);
                }
                Delete();
                continue;
            }

            switch (key.Key)
            {
                case ConsoleKey.Enter:
                    screen.Write("\n");
                    screen.Flush();
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
            _line.Insert(_cursor++, rune);
            Redraw();
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

    private void Move(int position)
    {
        position = Math.Clamp(position, 0, _line.Count);
        if (position == _cursor)
            return;
        _cursor = position;
        Redraw();
    }

    private void Replace(string text)
    {
        _line.Clear();
        _line.AddRange(text.EnumerateRunes());
        _cursor = _line.Count;
        Redraw();
    }

    /// <summary>Rewrites prompt and line from the start of the row, clears the rest, puts the cursor back in place.</summary>
    private void Redraw()
    {
        var sb = new StringBuilder("\r");
        sb.Append(_prompt);
        foreach (var rune in _line)
            sb.Append(rune.ToString());
        sb.Append("\u001b[K");
        var after = 0;
        for (var i = _cursor; i < _line.Count; i++)
            after += DisplayWidth.Of(_line[i]);
        if (after > 0)
            sb.Append($"\u001b[{after}D");
        screen.Write(sb.ToString());
        screen.Flush();
    }
}

using GptChat.Cli.Terminal;
using static GptChat.Tests.Chat.ScriptedKeys;

namespace GptChat.Tests.Chat;

/// <summary>
/// The line editor on a narrow terminal, where prompt and line wrap onto several rows: what it draws is played on
/// <see cref="VirtualTerminal"/>, and the screen and cursor are checked after each script of keys. Row 0 holds
/// earlier output, so drawing above the prompt's row shows up as damage to it.
/// </summary>
public class WrappedLineEditorTests
{
    private const string Prompt = "you> ";
    private const string Alphabet = "abcdefghijklmnopqrstu";   // 21 letters: with the prompt, 2.6 rows of 10

    private sealed class FixedSize(Func<int> columns) : ITerminalSize
    {
        public int Columns => columns();
    }

    private static VirtualTerminal Draw(int columns, params IEnumerable<ConsoleKeyInfo>[] keys) =>
        Draw(new VirtualTerminal(columns), new FixedSize(() => columns), [], Prompt, keys);

    private static VirtualTerminal Draw(VirtualTerminal terminal, ITerminalSize size, IList<string> history, string prompt,
        params IEnumerable<ConsoleKeyInfo>[] keys)
    {
        terminal.Write("earlier\r\n");
        var output = new StringWriter();
        new LineEditor(new ScriptedKeys([.. keys.SelectMany(k => k)]), output, history, size).ReadLine(prompt);
        terminal.Write(output.ToString());
        return terminal;
    }

    [Fact]
    public void A_long_line_wraps_onto_the_next_rows()
    {
        var screen = Draw(10, Text(Alphabet));
        Assert.Equal(["earlier", "you> abcde", "fghijklmno", "pqrstu"], screen.Rows);
        Assert.Equal((3, 6), screen.Cursor);
    }

    [Fact]
    public void Inserting_in_the_middle_reflows_the_rows_after_it()
    {
        var screen = Draw(10, Text(Alphabet), [Key(ConsoleKey.Home)], Times(3, ConsoleKey.RightArrow), Text("XY"));
        Assert.Equal(["earlier", "you> abcXY", "defghijklm", "nopqrstu"], screen.Rows);
        Assert.Equal((2, 0), screen.Cursor);   // before "d", which moved to the next row
    }

    [Fact]
    public void Backspace_across_a_row_boundary_leaves_nothing_behind()
    {
        var joined = Draw(10, Text("abcdefg"), Times(3, ConsoleKey.Backspace));
        Assert.Equal(["earlier", "you> abcd"], joined.Rows);
        Assert.Equal((1, 9), joined.Cursor);

        // Left across the boundary, then Backspace pulls the second row's text up by one.
        var middle = Draw(10, Text("abcdefghij"), Times(6, ConsoleKey.LeftArrow), [Key(ConsoleKey.Backspace)]);
        Assert.Equal(["earlier", "you> abcef", "ghij"], middle.Rows);
        Assert.Equal((1, 8), middle.Cursor);
    }

    [Fact]
    public void Home_end_and_arrows_move_between_rows()
    {
        Assert.Equal((1, 5), Draw(10, Text(Alphabet), [Key(ConsoleKey.Home)]).Cursor);
        Assert.Equal((1, 5), Draw(10, Text(Alphabet), [Ctrl(ConsoleKey.A)]).Cursor);
        Assert.Equal((3, 6), Draw(10, Text(Alphabet), [Key(ConsoleKey.Home), Key(ConsoleKey.End)]).Cursor);
        Assert.Equal((3, 6), Draw(10, Text(Alphabet), [Key(ConsoleKey.Home), Ctrl(ConsoleKey.E)]).Cursor);
        Assert.Equal((2, 0), Draw(10, Text(Alphabet), [Key(ConsoleKey.Home)], Times(5, ConsoleKey.RightArrow)).Cursor);
        Assert.Equal((1, 9), Draw(10, Text(Alphabet), Times(17, ConsoleKey.LeftArrow)).Cursor);

        var typedAtHome = Draw(10, Text(Alphabet), [Key(ConsoleKey.Home)], Text("Z"));
        Assert.Equal(["earlier", "you> Zabcd", "efghijklmn", "opqrstu"], typedAtHome.Rows);
        Assert.Equal((1, 6), typedAtHome.Cursor);
    }

    [Fact]
    public void History_recall_swaps_long_and_short_entries_without_leftovers()
    {
        string[] history = ["hi", "a quick brown fox jumps"];
        VirtualTerminal Recall(params IEnumerable<ConsoleKeyInfo>[] keys) =>
            Draw(new VirtualTerminal(10), new FixedSize(() => 10), history, Prompt, keys);

        var longOne = Recall(Text("x"), [Key(ConsoleKey.UpArrow)]);
        Assert.Equal(["earlier", "you> a qui", "ck brown f", "ox jumps"], longOne.Rows);
        Assert.Equal((3, 8), longOne.Cursor);

        var shortOne = Recall([Key(ConsoleKey.UpArrow), Key(ConsoleKey.UpArrow)]);
        Assert.Equal(["earlier", "you> hi"], shortOne.Rows);
        Assert.Equal((1, 7), shortOne.Cursor);

        // Long again, from the start of the line, then back down to the draft typed before.
        var back = Recall(Text("draft"), [Key(ConsoleKey.UpArrow), Key(ConsoleKey.Home), Key(ConsoleKey.DownArrow)]);
        Assert.Equal(["earlier", "you> draft"], back.Rows);
        Assert.Equal((2, 0), back.Cursor);
    }

    [Fact]
    public void Wide_characters_wrap_whole_and_the_cursor_follows_them()
    {
        var screen = Draw(10, Text("你好世界和平"));
        // 世 would start in the last column: it goes whole to the next row, leaving that column blank.
        Assert.Equal(["earlier", "you> 你好", "世界和平"], screen.Rows);
        Assert.Equal((2, 8), screen.Cursor);

        Assert.Equal((2, 0), Draw(10, Text("你好世界和平"), Times(4, ConsoleKey.LeftArrow)).Cursor);

        var deleted = Draw(10, Text("你好世界和平"), Times(4, ConsoleKey.LeftArrow), [Key(ConsoleKey.Backspace)]);
        Assert.Equal(["earlier", "you> 你世", "界和平"], deleted.Rows);
        Assert.Equal((1, 7), deleted.Cursor);

        var afterAscii = Draw(10, Text("abcd你"), [Key(ConsoleKey.LeftArrow)]);
        Assert.Equal(["earlier", "you> abcd", "你"], afterAscii.Rows);
        Assert.Equal((2, 0), afterAscii.Cursor);
    }

    [Fact]
    public void A_line_that_ends_exactly_at_the_edge_puts_the_cursor_on_the_next_row()
    {
        var full = Draw(10, Text("abcde"));
        Assert.Equal(["earlier", "you> abcde"], full.Rows);
        Assert.Equal((2, 0), full.Cursor);
        Assert.False(full.PendingWrap);

        var wideFull = Draw(10, Text("abc你"));
        Assert.Equal(["earlier", "you> abc你"], wideFull.Rows);
        Assert.Equal((2, 0), wideFull.Cursor);

        var oneMore = Draw(10, Text("abcdef"));
        Assert.Equal(["earlier", "you> abcde", "f"], oneMore.Rows);
        Assert.Equal((2, 1), oneMore.Cursor);

        var backAgain = Draw(10, Text("abcdef"), [Key(ConsoleKey.Backspace)]);
        Assert.Equal(["earlier", "you> abcde"], backAgain.Rows);
        Assert.Equal((2, 0), backAgain.Cursor);

        Assert.Equal((1, 9), Draw(10, Text("abcde"), [Key(ConsoleKey.LeftArrow)]).Cursor);
    }

    [Fact]
    public void Kill_keys_on_a_wrapped_line_clear_the_rows_they_empty()
    {
        var killed = Draw(10, Text(Alphabet), Times(10, ConsoleKey.LeftArrow), [Ctrl(ConsoleKey.K)]);
        Assert.Equal(["earlier", "you> abcde", "fghijk"], killed.Rows);
        Assert.Equal((2, 6), killed.Cursor);

        var cleared = Draw(10, Text(Alphabet), Times(10, ConsoleKey.LeftArrow), [Ctrl(ConsoleKey.K), Ctrl(ConsoleKey.U)]);
        Assert.Equal(["earlier", "you>"], cleared.Rows);
        Assert.Equal((1, 5), cleared.Cursor);

        var word = Draw(10, Text("one two three four"), [Ctrl(ConsoleKey.W)]);
        Assert.Equal(["earlier", "you> one t", "wo three"], word.Rows);
        Assert.Equal((2, 9), word.Cursor);
    }

    [Fact]
    public void Enter_and_ctrl_c_leave_the_cursor_below_the_whole_line()
    {
        var entered = Draw(10, Text(Alphabet), [Key(ConsoleKey.Home), Enter]);
        entered.Write("bot> ok\r\n");
        Assert.Equal(["earlier", "you> abcde", "fghijklmno", "pqrstu", "bot> ok"], entered.Rows);

        // No blank row when the line filled its last row exactly.
        var full = Draw(10, Text("abcde"), [Enter]);
        full.Write("bot> ok\r\n");
        Assert.Equal(["earlier", "you> abcde", "bot> ok"], full.Rows);

        var interrupted = Draw(10, Text(Alphabet), [Key(ConsoleKey.Home), Ctrl(ConsoleKey.C)]);
        Assert.Equal(["earlier", "you> abcde", "fghijklmno", "pqrstu^C"], interrupted.Rows);
        Assert.Equal((4, 0), interrupted.Cursor);
    }

    [Fact]
    public void Editing_still_lines_up_after_the_line_scrolled_the_screen()
    {
        var screen = Draw(new VirtualTerminal(10, rows: 3), new FixedSize(() => 10), [], Prompt,
            Text(Alphabet), [Key(ConsoleKey.Home)], Text("X"));
        Assert.Equal(["you> Xabcd", "efghijklmn", "opqrstu"], screen.Rows);
        Assert.Equal((0, 6), screen.Cursor);
    }

    [Fact]
    public void Colour_codes_in_the_prompt_take_no_columns()
    {
        var screen = Draw(new VirtualTerminal(10), new FixedSize(() => 10), [], "\u001b[32myou> \u001b[0m", Text("abcdefg"));
        Assert.Equal(["earlier", "you> abcde", "fg"], screen.Rows);
        Assert.Equal((2, 2), screen.Cursor);
    }

    [Fact]
    public void Without_a_known_width_it_edits_on_one_row()
    {
        foreach (var size in new ITerminalSize[] { new FixedSize(() => 0), new FixedSize(() => throw new IOException("no tty")) })
        {
            var screen = Draw(new VirtualTerminal(80), size, [], Prompt,
                Text("hello"), Times(2, ConsoleKey.LeftArrow), Text("X"), [Key(ConsoleKey.Backspace), Key(ConsoleKey.End)], Text("!"));
            Assert.Equal(["earlier", "you> hello!"], screen.Rows);
            Assert.Equal((1, 11), screen.Cursor);
        }
    }

    [Fact]
    public void Typing_at_the_end_of_the_line_only_adds_the_new_characters()
    {
        // Redrawing prompt and line for each key would send a pasted line's length squared to the terminal; the
        // characters alone, across row ends and with wide ones wrapping whole, must still land where a redraw puts them.
        var output = new StringWriter();
        new LineEditor(new ScriptedKeys([.. Text("abcdefghijklmno你好x")]), output, [], new FixedSize(() => 10)).ReadLine(Prompt);
        Assert.Equal(1, output.ToString().Split(Prompt).Length - 1);

        var screen = new VirtualTerminal(10);
        screen.Write(output.ToString());
        Assert.Equal(["you> abcde", "fghijklmno", "你好x"], screen.Rows);
        Assert.Equal((2, 5), screen.Cursor);
        var redrawn = Draw(10, Text("bcdefghijklmno你好x"), [Key(ConsoleKey.Home)], Text("a"), [Key(ConsoleKey.End)]);
        Assert.Equal(screen.Rows, redrawn.Rows.Skip(1));
    }
}

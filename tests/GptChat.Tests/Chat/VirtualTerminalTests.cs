namespace GptChat.Tests.Chat;

/// <summary>
/// The emulator behind <see cref="WrappedLineEditorTests"/> follows xterm where the editor's correctness hinges on
/// it: the pending wrap at a row's end, wide characters wrapping whole, and erasing.
/// </summary>
public class VirtualTerminalTests
{
    [Fact]
    public void Writing_the_last_column_leaves_a_pending_wrap_that_the_next_character_or_a_move_resolves()
    {
        var terminal = new VirtualTerminal(10);
        terminal.Write("abcdefghij");
        Assert.Equal((0, 9), terminal.Cursor);
        Assert.True(terminal.PendingWrap);
        terminal.Write("k");
        Assert.Equal(["abcdefghij", "k"], terminal.Rows);
        Assert.Equal((1, 1), terminal.Cursor);

        var moved = new VirtualTerminal(10);
        moved.Write("abcdefghij\u001b[3DX");   // the move starts from the last column and cancels the wrap
        Assert.Equal(["abcdefXhij"], moved.Rows);
        Assert.Equal((0, 7), moved.Cursor);
    }

    [Fact]
    public void A_wide_character_that_does_not_fit_goes_whole_to_the_next_row()
    {
        var terminal = new VirtualTerminal(10);
        terminal.Write("abcdefghi你");
        Assert.Equal(["abcdefghi", "你"], terminal.Rows);
        Assert.Equal((1, 2), terminal.Cursor);
    }

    [Fact]
    public void Erasing_clears_to_the_end_of_the_row_or_screen_and_a_half_covered_wide_character_goes_whole()
    {
        var terminal = new VirtualTerminal(10);
        terminal.Write("你好abc\r\nsecond\r\nthird\u001b[2A\r\u001b[3C\u001b[K");
        Assert.Equal(["你", "second", "third"], terminal.Rows);
        terminal.Write("\u001b[1B\u001b[J");
        Assert.Equal(["你", "sec"], terminal.Rows);
        Assert.Throws<NotSupportedException>(() => terminal.Write("\u001b[2J"));
    }
}

using GptChat.Cli.Terminal;
using static GptChat.Tests.Chat.ScriptedKeys;

namespace GptChat.Tests.Chat;

public class LineEditorTests
{
    private static LineRead Read(IList<string> history, params IEnumerable<ConsoleKeyInfo>[] keys)
    {
        var editor = new LineEditor(new ScriptedKeys([.. keys.SelectMany(k => k)]), TextWriter.Null, history);
        return editor.ReadLine("> ");
    }

    [Fact]
    public void Typing_and_enter_give_the_line()
    {
        Assert.Equal(new LineRead(LineReadKind.Line, "hello"), Read([], Text("hello"), [Enter]));
    }

    [Fact]
    public void Cursor_keys_edit_in_the_middle()
    {
        var read = Read([], Text("helo"), [Key(ConsoleKey.LeftArrow)], Text("l"), [Key(ConsoleKey.Home)], Text(">"),
            [Key(ConsoleKey.End), Key(ConsoleKey.Backspace)], Text("O"), [Enter]);
        Assert.Equal(">hellO", read.Text);
    }

    [Fact]
    public void Delete_and_kill_keys()
    {
        var read = Read([], Text("abc def ghi"), [Ctrl(ConsoleKey.W)], Text("xyz"), [Ctrl(ConsoleKey.A), Key(ConsoleKey.Delete), Enter]);
        Assert.Equal("bc def xyz", read.Text);
        Assert.Equal("", Read([], Text("gone"), [Ctrl(ConsoleKey.U), Enter]).Text);
        Assert.Equal("ke", Read([], Text("keep"), [Key(ConsoleKey.LeftArrow), Key(ConsoleKey.LeftArrow), Ctrl(ConsoleKey.K), Enter]).Text);
    }

    [Fact]
    public void Up_and_down_walk_the_history_and_come_back_to_the_typed_line()
    {
        string[] history = ["first", "second"];
        Assert.Equal("second", Read(history, [Key(ConsoleKey.UpArrow), Enter]).Text);
        Assert.Equal("first", Read(history, [Key(ConsoleKey.UpArrow), Key(ConsoleKey.UpArrow), Key(ConsoleKey.UpArrow), Enter]).Text);
        Assert.Equal("draft", Read(history, Text("draft"), [Key(ConsoleKey.UpArrow), Key(ConsoleKey.DownArrow), Enter]).Text);
    }

    [Fact]
    public void Ctrl_d_ends_only_an_empty_line_and_ctrl_c_abandons_it()
    {
        Assert.Equal(LineReadKind.EndOfInput, Read([], [Ctrl(ConsoleKey.D)]).Kind);
        Assert.Equal("ac", Read([], Text("abc"), [Key(ConsoleKey.LeftArrow), Key(ConsoleKey.LeftArrow), Ctrl(ConsoleKey.D), Enter]).Text);
        Assert.Equal(LineReadKind.Interrupt, Read([], Text("abc"), [Ctrl(ConsoleKey.C)]).Kind);
        Assert.Equal(LineReadKind.EndOfInput, Read([], Text("abc")).Kind);   // input ended
    }

    [Fact]
    public void Characters_outside_the_basic_plane_are_one_cursor_step()
    {
        var read = Read([], [Char('a'), Char('\uD83D'), Char('\uDE00'), Key(ConsoleKey.LeftArrow), Char('b'), Enter]);
        Assert.Equal("ab\U0001F600", read.Text);
    }

    [Fact]
    public void Wide_characters_take_two_columns()
    {
        Assert.Equal(4, DisplayWidth.Of("好的"));
        Assert.Equal(3, DisplayWidth.Of("abc"));
        Assert.Equal(1, DisplayWidth.Of("e\u0301"));
    }
}

using GptChat.Cli.Rendering;

namespace GptChat.Tests.Chat;

public class LineEscaperTests
{
    [Theory]
    [InlineData("plain text", "plain text")]
    [InlineData("two\nlines", @"two\nlines")]
    [InlineData("crlf\r\nend", @"crlf\r\nend")]
    [InlineData(@"a\n literal", @"a\\n literal")]     // a backslash stays distinguishable from an escaped newline
    [InlineData("好的\n", @"好的\n")]
    public void Replies_stay_on_one_line_reversibly(string reply, string line)
    {
        var escaped = LineEscaper.Escape(reply);
        Assert.Equal(line, escaped);
        Assert.DoesNotContain('\n', escaped);
        Assert.DoesNotContain('\r', escaped);
    }
}

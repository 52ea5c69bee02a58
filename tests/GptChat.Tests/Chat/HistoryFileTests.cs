using GptChat.Cli.Terminal;

namespace GptChat.Tests.Chat;

/// <summary>The history file is UTF-8 whatever its first bytes look like.</summary>
public class HistoryFileTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), "gptchat-history-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => File.Delete(_path);

    [Fact]
    public void Bytes_that_look_like_a_utf16_mark_are_still_read_as_utf8()
    {
        File.WriteAllBytes(_path, [0xFF, 0xFE, (byte)' ', (byte)'b', (byte)'a', (byte)'d', (byte)'\n', .. "你好\n"u8]);

        var history = HistoryFile.Open(_path, _ => { });

        Assert.Equal(["\uFFFD\uFFFD bad", "你好"], history.Entries);
    }

    [Fact]
    public void A_utf8_byte_order_mark_is_not_part_of_the_first_entry()
    {
        File.WriteAllBytes(_path, [0xEF, 0xBB, 0xBF, .. "/stats\n/bye\n"u8]);

        Assert.Equal(["/stats", "/bye"], HistoryFile.Open(_path, _ => { }).Entries);
    }
}

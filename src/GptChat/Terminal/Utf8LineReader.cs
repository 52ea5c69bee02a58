using System.Buffers;
using System.Text;
using System.Text.Unicode;

namespace GptChat.Cli.Terminal;

/// <summary>
/// Reads stdin as UTF-8 lines from the raw byte stream, so invalid bytes can be noticed (and replaced by U+FFFD)
/// instead of silently changed. Lines may be any length; <c>\n</c> and <c>\r\n</c> both end a line.
/// </summary>
internal sealed class Utf8LineReader(Stream input)
{
    private readonly byte[] _buffer = new byte[64 * 1024];
    private int _start, _end;
    private bool _eof, _first = true;

    /// <summary>True once any line held bytes that are not UTF-8.</summary>
    public bool SawInvalidUtf8 { get; private set; }

    /// <summary>The next line without its line break, or null at the end of input.</summary>
    public string? ReadLine()
    {
        var line = new ArrayBufferWriter<byte>();
        while (true)
        {
            var span = _buffer.AsSpan(_start, _end - _start);
            var newline = span.IndexOf((byte)'\n');
            if (newline >= 0)
            {
                line.Write(span[..newline]);
                _start += newline + 1;
                return Decode(line.WrittenSpan, trimCarriageReturn: true);
            }
            line.Write(span);
            _start = _end = 0;
            if (_eof || !Fill())
                return line.WrittenCount > 0 ? Decode(line.WrittenSpan, trimCarriageReturn: true) : null;
        }
    }

    /// <summary>Everything left, as one text.</summary>
    public string ReadToEnd()
    {
        var all = new ArrayBufferWriter<byte>();
        do
        {
            all.Write(_buffer.AsSpan(_start, _end - _start));
            _start = _end = 0;
        } while (!_eof && Fill());
        return Decode(all.WrittenSpan, trimCarriageReturn: false);
    }

    /// <summary>A stdin that cannot be read (e.g. "Is a directory" for <c>gptchat &lt; /tmp</c>), as one line.</summary>
    public static GptChatException ReadFailed(IOException e) => new($"cannot read stdin: {e.Message}");

    private bool Fill()
    {
        int n;
        try
        {
            n = input.Read(_buffer, 0, _buffer.Length);
        }
        catch (IOException e)
        {
            throw ReadFailed(e);
        }
        if (n == 0)
        {
            _eof = true;
            return false;
        }
        _end = n;
        return true;
    }

    private string Decode(ReadOnlySpan<byte> bytes, bool trimCarriageReturn)
    {
        if (_first)
        {
            _first = false;
            if (bytes.StartsWith("\uFEFF"u8))
                bytes = bytes[3..];
        }
        if (trimCarriageReturn && bytes.Length > 0 && bytes[^1] == (byte)'\r')
            bytes = bytes[..^1];
        if (!Utf8.IsValid(bytes))
            SawInvalidUtf8 = true;
        return Encoding.UTF8.GetString(bytes);
    }
}

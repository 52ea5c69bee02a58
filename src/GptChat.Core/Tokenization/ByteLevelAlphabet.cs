namespace GptChat.Tokenization;

/// <summary>
/// GPT-2's <c>bytes_to_unicode</c>: the printable character that stands for each byte in vocab.json and
/// merges.txt (e.g. 'Ġ' for the space byte 0x20).
/// </summary>
internal static class ByteLevelAlphabet
{
    private static readonly char[] CharOfByte = BuildCharOfByte();
    private static readonly Dictionary<char, byte> ByteOfChar = BuildByteOfChar();

    public static char ToChar(byte b) => CharOfByte[b];

    /// <summary>The bytes a vocab.json token stands for; false when it holds a character outside the alphabet.</summary>
    public static bool TryGetBytes(string token, out byte[] bytes)
    {
        bytes = new byte[token.Length];
        for (int i = 0; i < token.Length; i++)
        {
            if (!ByteOfChar.TryGetValue(token[i], out bytes[i]))
                return false;
        }
        return true;
    }

    /// <summary>A byte string written in the alphabet (how vocab.json and merges.txt spell it).</summary>
    public static string ToText(ReadOnlySpan<byte> bytes)
    {
        var chars = new char[bytes.Length];
        for (int i = 0; i < bytes.Length; i++)
            chars[i] = CharOfByte[bytes[i]];
        return new string(chars);
    }

    private static char[] BuildCharOfByte()
    {
        // Printable Latin-1 bytes stand for themselves; the others (controls, space, 0x7F-0xA0, 0xAD) are
        // shifted to U+0100 onwards in byte order.
        var map = new char[256];
        int next = 256;
        for (int b = 0; b < 256; b++)
        {
            bool printable = b is >= '!' and <= '~' or >= 0xA1 and <= 0xAC or >= 0xAE and <= 0xFF;
            map[b] = printable ? (char)b : (char)next++;
        }
        return map;
    }

    private static Dictionary<char, byte> BuildByteOfChar()
    {
        var map = new Dictionary<char, byte>(256);
        for (int b = 0; b < 256; b++)
            map[CharOfByte[b]] = (byte)b;
        return map;
    }
}

namespace GptChat.Core.Tests.Tokenization;

/// <summary>
/// GPT-2's bytes_to_unicode (how vocab.json and merges.txt spell bytes, e.g. 'Ġ' for a space), written out
/// independently of the production code so tests can build vocabulary files.
/// </summary>
internal static class ByteLevelSpelling
{
    private static readonly char[] CharOfByte = Build();

    public static char Of(byte b) => CharOfByte[b];

    /// <summary>Spells a string of bytes given as Latin-1 characters.</summary>
    public static string Of(string latin1Bytes) => new(latin1Bytes.Select(c => CharOfByte[c]).ToArray());

    private static char[] Build()
    {
        var printable = Enumerable.Range('!', '~' - '!' + 1).Concat(Enumerable.Range(0xA1, 0xAC - 0xA1 + 1))
            .Concat(Enumerable.Range(0xAE, 0xFF - 0xAE + 1)).ToHashSet();
        var charOf = new char[256];
        int next = 256;
        for (int b = 0; b < 256; b++)
            charOf[b] = printable.Contains(b) ? (char)b : (char)next++;
        return charOf;
    }
}

using System.Globalization;
using System.Text;
using Microsoft.ML.Tokenizers;

namespace GptChat.Tokenization;

/// <summary>
/// GPT-2's pre-tokenization: splits text where OpenAI's pattern
/// <c>'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+</c> splits it.
/// </summary>
/// <remarks>
/// Hand-written over Unicode code points rather than a .NET <c>Regex</c>: OpenAI's encoder runs the pattern
/// with Python's <c>regex</c> module, which classifies whole code points, while .NET's Regex classifies UTF-16
/// units, so letters outside the BMP (𝐈, 𠀈) would be split like punctuation there. <c>\s</c> is Unicode
/// White_Space, which is exactly the set <see cref="Rune.IsWhiteSpace"/> accepts. Offsets are UTF-16 indexes.
/// The text must hold no lone surrogates (<see cref="Gpt2Tokenizer"/> replaces them first).
/// </remarks>
internal sealed class Gpt2PreTokenizer : PreTokenizer
{
    public static Gpt2PreTokenizer Instance { get; } = new();

    private Gpt2PreTokenizer() { }

    public override IEnumerable<(int Offset, int Length)> PreTokenize(string text) =>
        string.IsNullOrEmpty(text) ? [] : Split(text);

    public override IEnumerable<(int Offset, int Length)> PreTokenize(ReadOnlySpan<char> text) =>
        text.IsEmpty ? [] : Split(text.ToArray());

    /// <summary>All pieces of <paramref name="text"/>, in order; they cover it exactly.</summary>
    public static List<(int Offset, int Length)> Split(ReadOnlySpan<char> text)
    {
        var pieces = new List<(int, int)>();
        for (int start = 0; start < text.Length;)
        {
            int end = PieceEnd(text, start);
            pieces.Add((start, end - start));
            start = end;
        }
        return pieces;
    }

    private static IEnumerable<(int Offset, int Length)> Split(char[] text)
    {
        for (int start = 0; start < text.Length;)
        {
            int end = PieceEnd(text, start);
            yield return (start, end - start);
            start = end;
        }
    }

    private enum CharClass { Letter, Number, WhiteSpace, Other }

    /// <summary>Where the piece starting at <paramref name="start"/> ends: the pattern's alternatives, tried in order.</summary>
    private static int PieceEnd(ReadOnlySpan<char> text, int start)
    {
        char first = text[start];

        // 's|'t|'re|'ve|'m|'ll|'d (case-sensitive, as in GPT-2)
        if (first == '\'' && ContractionLength(text[(start + 1)..]) is > 0 and var suffix)
            return start + 1 + suffix;

        // " ?X+" for X = letters, numbers, or neither-space-letter-nor-number: an optional U+0020 joins the run after it.
        int runStart = start;
        if (first == ' ' && start + 1 < text.Length)
            runStart = start + 1;
        var (cls, width) = Classify(text, runStart);
        if (cls == CharClass.WhiteSpace && runStart != start)
        {
            // A space followed by white space: no optional-space alternative applies.
            runStart = start;
            (cls, width) = Classify(text, start);
        }
        if (cls != CharClass.WhiteSpace)
            return RunEnd(text, runStart + width, cls);

        // \s+(?!\S)|\s+ : a white-space run, less its last character when a non-space follows (that character
        // then starts the next piece, e.g. " world"), unless the run is a single character.
        int runEnd = RunEnd(text, start + width, CharClass.WhiteSpace);
        if (runEnd == text.Length)
            return runEnd;
        int lastStart = char.IsLowSurrogate(text[runEnd - 1]) ? runEnd - 2 : runEnd - 1;
        return lastStart > start ? lastStart : runEnd;
    }

    private static int ContractionLength(ReadOnlySpan<char> rest)
    {
        if (rest.IsEmpty) return 0;
        switch (rest[0])
        {
            case 's' or 't' or 'm' or 'd': return 1;
            case 'r' or 'v' when rest.Length > 1 && rest[1] == 'e': return 2;
            case 'l' when rest.Length > 1 && rest[1] == 'l': return 2;
            default: return 0;
        }
    }

    /// <summary>The end of the run of <paramref name="cls"/> code points starting at <paramref name="index"/>.</summary>
    private static int RunEnd(ReadOnlySpan<char> text, int index, CharClass cls)
    {
        while (index < text.Length)
        {
            var (next, width) = Classify(text, index);
            if (next != cls) break;
            index += width;
        }
        return index;
    }

    private static (CharClass Class, int Width) Classify(ReadOnlySpan<char> text, int index)
    {
        char c = text[index];
        if (c < 0x80)
        {
            // ASCII fast path (the common case).
            if ((uint)((c | 0x20) - 'a') <= 'z' - 'a') return (CharClass.Letter, 1);
            if ((uint)(c - '0') <= 9) return (CharClass.Number, 1);
            if (c == ' ' || (uint)(c - '\t') <= '\r' - '\t') return (CharClass.WhiteSpace, 1);
            return (CharClass.Other, 1);
        }

        Rune.DecodeFromUtf16(text[index..], out var rune, out int width);
        if (Rune.IsWhiteSpace(rune)) return (CharClass.WhiteSpace, width);
        return (Rune.GetUnicodeCategory(rune) switch
        {
            UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
                or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter => CharClass.Letter,
            UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber => CharClass.Number,
            _ => CharClass.Other,
        }, width);
    }
}

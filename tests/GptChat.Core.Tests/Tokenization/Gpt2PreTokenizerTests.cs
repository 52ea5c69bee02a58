using GptChat.Tokenization;

namespace GptChat.Core.Tests.Tokenization;

/// <summary>Pieces of GPT-2's split pattern, worked out by hand from the pattern's alternatives.</summary>
public sealed class Gpt2PreTokenizerTests
{
    [Theory]
    [InlineData("Hello world", new[] { "Hello", " world" })]
    [InlineData("I'm here, they'll see", new[] { "I", "'m", " here", ",", " they", "'ll", " see" })]
    [InlineData("'S 'sa", new[] { "'", "S", " '", "sa" })]             // contractions are case-sensitive; " '" is punctuation
    [InlineData("a  b", new[] { "a", " ", " b" })]                      // a white-space run gives its last space to the word
    [InlineData("a\n\n b", new[] { "a", "\n\n", " b" })]
    [InlineData("a \n", new[] { "a", " \n" })]                          // trailing white space stays whole
    [InlineData("x\ty", new[] { "x", "\t", "y" })]                      // one white-space character before a word: \s+
    [InlineData("v1.2 2024", new[] { "v", "1", ".", "2", " 2024" })]
    [InlineData("...!? ?!", new[] { "...!?", " ?!" })]
    [InlineData("𝐈𝐈 𠀈x", new[] { "𝐈𝐈", " 𠀈x" })]                      // letters outside the BMP are letters
    [InlineData("a🌈🌈b", new[] { "a", "🌈🌈", "b" })]                  // a symbol outside the BMP is neither letter nor number
    [InlineData("\u3000a\u2028", new[] { "\u3000", "a", "\u2028" })]   // Unicode white space; only U+0020 joins a word
    [InlineData("x\u001cy", new[] { "x", "\u001c", "y" })]             // controls other than \t..\r are not white space
    [InlineData("١٢٣ ½", new[] { "١٢٣", " ½" })]                        // \p{N}: Nd and No
    public void Splits_like_the_GPT2_pattern(string text, string[] expected)
    {
        var pieces = Gpt2PreTokenizer.Instance.PreTokenize(text).Select(p => text.Substring(p.Offset, p.Length));
        Assert.Equal(expected, pieces);
    }

    [Fact]
    public void Span_and_string_overloads_agree()
    {
        const string text = "It's 𝐈 ok?  Yes\n";
        Assert.Equal(Gpt2PreTokenizer.Instance.PreTokenize(text), Gpt2PreTokenizer.Instance.PreTokenize(text.AsSpan()));
    }
}

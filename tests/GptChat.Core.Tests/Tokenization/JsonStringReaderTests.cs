using System.Text;
using System.Text.Json;
using GptChat.Tokenization;

namespace GptChat.Core.Tests.Tokenization;

public sealed class JsonStringReaderTests
{
    [Theory]
    [InlineData(@"""plain é 🌈""", "plain é 🌈")]
    [InlineData(@"""a\""b\\c\/d\b\f\n\r\t""", "a\"b\\c/d\b\f\n\r\t")]
    [InlineData(@"""\u00e9\ud83c\udf08""", "é🌈")]                    // escaped surrogate pair joins
    [InlineData(@"""""", "")]
    public void Reads_the_string_as_JavaScript_does(string json, string expected) =>
        Assert.Equal(expected, Read(json));

    // Expected UTF-16 code units as numbers: test attributes cannot carry lone surrogates in strings.
    [Theory]
    [InlineData(@"""x\ud800y""", new[] { 'x', 0xD800, 'y' })]           // lone high surrogate kept
    [InlineData(@"""\udc00""", new[] { 0xDC00 })]                       // lone low surrogate kept
    [InlineData(@"""\udc00\ud800""", new[] { 0xDC00, 0xD800 })]         // reversed pair: two lone surrogates
    public void Keeps_lone_surrogates(string json, int[] expectedCodeUnits) =>
        Assert.Equal(expectedCodeUnits, Read(json).Select(c => (int)c));

    private static string Read(string json)
    {
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(json));
        reader.Read();
        return JsonStringReader.Read(ref reader);
    }

    [Fact]
    public void Refuses_a_token_that_is_not_a_string()
    {
        var reader = new Utf8JsonReader("42"u8);
        reader.Read();
        try
        {
            JsonStringReader.Read(ref reader);
            Assert.Fail("expected an exception");
        }
        catch (InvalidOperationException e)
        {
            Assert.Contains("Number", e.Message);
        }
    }
}

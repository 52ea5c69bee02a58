using GptChat.Chat;

namespace GptChat.Core.Tests.Chat;

public class StopPhraseTests
{
    [Theory]
    [InlineData("好的,谢谢!")]
    [InlineData("好的，谢谢！")]          // full-width comma and exclamation mark
    [InlineData("  好的,谢谢!  ")]
    [InlineData("好的，谢谢!")]
    public void The_default_phrase_matches_with_either_punctuation(string line)
    {
        Assert.True(new StopPhrase(StopPhrase.Default).Matches(line));
    }

    [Theory]
    [InlineData("好的,谢谢")]
    [InlineData("好的,谢谢!!")]
    [InlineData("不,谢谢!")]
    [InlineData("")]
    public void Other_lines_do_not_match(string line)
    {
        Assert.False(new StopPhrase(StopPhrase.Default).Matches(line));
    }

    [Fact]
    public void Full_width_letters_and_inner_spaces_fold_too()
    {
        var bye = new StopPhrase("good  bye.");
        Assert.True(bye.Matches("ｇｏｏｄ\u3000bye。"));
        Assert.False(bye.Matches("goodbye."));
    }

    [Fact]
    public void An_empty_phrase_never_matches()
    {
        Assert.False(new StopPhrase("").Matches(""));
        Assert.False(new StopPhrase("  ").Matches(" "));
    }

    [Fact]
    public void Any_of_several_phrases_ends()
    {
        StopPhrase[] phrases = [new("bye"), new("quit!")];
        Assert.True(StopPhrase.MatchesAny(phrases, "quit！"));
        Assert.False(StopPhrase.MatchesAny(phrases, "stay"));
    }
}

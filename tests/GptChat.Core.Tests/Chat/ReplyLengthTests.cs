using GptChat.Chat;
using GptChat.Generation;

namespace GptChat.Core.Tests.Chat;

public class ReplyLengthTests
{
    [Fact]
    public void Max_new_tokens_wins_over_max_length()
    {
        var length = ReplyLength.From(new GenerationOptions { MaxLength = 50, MaxNewTokens = 7 }, maxLengthExplicit: true, lineTokens: 10);
        Assert.Equal(7, length.MaxNewTokens);
        Assert.Null(length.Warning);
    }

    [Fact]
    public void Max_length_counts_the_line_as_in_hugging_face()
    {
        var length = ReplyLength.From(new GenerationOptions { MaxLength = 50 }, maxLengthExplicit: true, lineTokens: 12);
        Assert.Equal(38, length.MaxNewTokens);
    }

    [Fact]
    public void The_default_max_length_leaves_a_floor_for_long_lines()
    {
        var options = new GenerationOptions { MaxLength = 50 };
        Assert.Equal(45, ReplyLength.From(options, maxLengthExplicit: false, lineTokens: 5).MaxNewTokens);
        var longLine = ReplyLength.From(options, maxLengthExplicit: false, lineTokens: 60);
        Assert.Equal(ReplyLength.DefaultFloor, longLine.MaxNewTokens);
        Assert.Null(longLine.Warning);
    }

    [Fact]
    public void An_explicit_max_length_the_line_already_reaches_gives_one_token_and_a_warning()
    {
        var length = ReplyLength.From(new GenerationOptions { MaxLength = 10 }, maxLengthExplicit: true, lineTokens: 12);
        Assert.Equal(1, length.MaxNewTokens);
        Assert.Contains("--max-new-tokens", length.Warning);
    }

    [Theory]
    [InlineData(0, null, 0)]
    [InlineData(15, null, 5)]      // min_length counts the line (10 tokens)
    [InlineData(5, null, 0)]
    [InlineData(0, 3, 3)]
    [InlineData(15, 8, 8)]         // the larger of the two rules, as HF bans EOS under both
    public void Min_lengths_become_new_token_counts(int minLength, int? minNewTokens, int expected)
    {
        var options = new GenerationOptions { MaxLength = 50, MinLength = minLength, MinNewTokens = minNewTokens };
        Assert.Equal(expected, ReplyLength.From(options, maxLengthExplicit: false, lineTokens: 10).MinNewTokens);
    }
}

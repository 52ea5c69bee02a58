using GptChat.Chat;
using GptChat.Cli.Chat;
using GptChat.Generation;

namespace GptChat.Tests.Chat;

public class GenerationFlagsTests
{
    [Fact]
    public void Defaults_are_the_reference_programs()
    {
        var settings = new ReplySettings();
        Assert.Equal(50, settings.Generation.MaxLength);
        Assert.Equal(5, settings.Generation.NumBeams);
        Assert.Equal(2, settings.Generation.NoRepeatNgramSize);
        Assert.Equal(EarlyStopping.True, settings.Generation.EarlyStopping);
        Assert.False(settings.MaxLengthExplicit);
        Assert.Equal(ChatFormat.Plain, settings.Format);
    }

    [Fact]
    public void Every_hf_option_has_a_kebab_case_flag()
    {
        string[] hf = ["max_length", "max_new_tokens", "min_length", "min_new_tokens", "num_beams", "num_return_sequences",
            "early_stopping", "length_penalty", "no_repeat_ngram_size", "repetition_penalty", "do_sample", "temperature",
            "top_k", "top_p", "seed"];
        Assert.Equal(hf.Select(n => n.Replace('_', '-')).Order(), GenerationFlags.All.Select(f => f.Name).Order());
    }

    [Fact]
    public void Values_set_the_options()
    {
        var s = new ReplySettings();
        foreach (var (name, value) in new[] { ("max-length", "60"), ("early-stopping", "never"), ("do-sample", "TRUE"),
                     ("top-p", "0.5"), ("temperature", "0.7"), ("seed", "42"), ("num_beams", "1") })
            GenerationFlags.Find(name)!.Apply(s, value);
        Assert.Equal(60, s.Generation.MaxLength);
        Assert.True(s.MaxLengthExplicit);
        Assert.Equal(EarlyStopping.Never, s.Generation.EarlyStopping);
        Assert.True(s.Generation.DoSample);
        Assert.Equal(0.5, s.Generation.TopP);
        Assert.Equal(0.7, s.Generation.Temperature);
        Assert.Equal(42UL, s.Generation.Seed);
        Assert.Equal(1, s.Generation.NumBeams);
    }

    [Theory]
    [InlineData("num-beams", "0")]
    [InlineData("top-k", "-1")]
    [InlineData("top-p", "0")]
    [InlineData("temperature", "inf")]
    [InlineData("early-stopping", "sometimes")]
    [InlineData("seed", "1.5")]
    public void Bad_values_are_usage_errors_naming_the_flag(string name, string value)
    {
        var e = Assert.Throws<GptChatException>(() => GenerationFlags.Find(name)!.Apply(new ReplySettings(), value));
        Assert.Equal(2, e.ExitCode);
        Assert.StartsWith("--" + name, e.Message);
    }

    [Fact]
    public void Impossible_combinations_are_usage_errors()
    {
        var s = new ReplySettings();
        GenerationFlags.Find("num-return-sequences")!.Apply(s, "6");   // more than the 5 beams
        var e = Assert.Throws<GptChatException>(() => GenerationFlags.Validate(s));
        Assert.Equal(2, e.ExitCode);
        Assert.StartsWith("--num-return-sequences", e.Message);
    }
}

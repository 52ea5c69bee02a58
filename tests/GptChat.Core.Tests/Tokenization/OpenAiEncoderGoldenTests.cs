using GptChat.Tokenization;

namespace GptChat.Core.Tests.Tokenization;

/// <summary>
/// Gpt2Tokenizer against OpenAI's GPT-2 encoder on every case of gpt2-public.jsonl, for both vocabulary sources.
/// </summary>
public sealed class OpenAiEncoderGoldenTests(DerivedVocabFiles vocabFiles) : IClassFixture<DerivedVocabFiles>
{
    [Fact]
    public void Fixture_is_complete_and_keeps_lone_surrogates()
    {
        var cases = OpenAiEncoderFixture.Cases;
        Assert.Equal(1100, cases.Count);
        // The cases whose text cannot round-trip are those with lone surrogates: check the reader kept them, so
        // the U+FFFD path is really exercised.
        var invalid = cases.Where(c => !c.DecodedRoundtripOk).ToList();
        Assert.Equal(8, invalid.Count);
        Assert.All(invalid, c => Assert.NotEqual(c.Text, Gpt2Tokenizer.ReplaceLoneSurrogates(c.Text)));
    }

    [Fact]
    public void Built_in_vocabulary_encodes_like_OpenAIs_encoder() =>
        AssertEncodesEveryCase(Gpt2Tokenizer.Load());

    [Fact]
    public void Vocab_json_and_merges_txt_encode_like_OpenAIs_encoder() =>
        AssertEncodesEveryCase(Gpt2Tokenizer.Load(vocabFiles.Folder));

    [Fact]
    public void Built_in_vocabulary_decodes_like_OpenAIs_encoder() =>
        AssertDecodesEveryCase(Gpt2Tokenizer.Load());

    [Fact]
    public void Vocab_json_and_merges_txt_decode_like_OpenAIs_encoder() =>
        AssertDecodesEveryCase(Gpt2Tokenizer.Load(vocabFiles.Folder));

    private static void AssertEncodesEveryCase(Gpt2Tokenizer tokenizer)
    {
        var failures = OpenAiEncoderFixture.Cases
            .Where(c => !tokenizer.Encode(c.Text).SequenceEqual(c.Ids))
            .Select(c => $"case {c.Id} ({c.Category}): expected [{string.Join(",", c.Ids)}], got [{string.Join(",", tokenizer.Encode(c.Text))}]")
            .ToList();
        Assert.True(failures.Count == 0, $"{failures.Count} cases differ:\n" + string.Join("\n", failures.Take(10)));
    }

    private static void AssertDecodesEveryCase(Gpt2Tokenizer tokenizer)
    {
        var failures = OpenAiEncoderFixture.Cases
            .Where(c => tokenizer.Decode(c.Ids) != (c.DecodedRoundtripOk ? c.Text : c.Decoded))
            .Select(c => $"case {c.Id} ({c.Category})")
            .ToList();
        Assert.True(failures.Count == 0, $"{failures.Count} cases decode differently: " + string.Join(", ", failures.Take(20)));
    }
}

using System.Text.Json;
using GptChat.Tokenization;

namespace GptChat.Core.Tests.Tokenization;

public sealed class Gpt2TokenizerTests
{
    private static readonly Gpt2Tokenizer Tokenizer = Gpt2Tokenizer.Load();

    [Fact]
    public void End_of_text_typed_by_the_user_is_ordinary_text()
    {
        var ids = Tokenizer.Encode("<|endoftext|>");
        Assert.DoesNotContain(Gpt2Tokenizer.EndOfTextId, ids);
        Assert.Equal(7, ids.Count);
        Assert.Equal("<|endoftext|>", Tokenizer.Decode(ids));
    }

    [Fact]
    public void End_of_text_id_decodes_to_its_marker() =>
        Assert.Equal("a<|endoftext|>", Tokenizer.Decode([64, Gpt2Tokenizer.EndOfTextId]));

    [Fact]
    public void Vocabulary_has_GPT2s_size() => Assert.Equal(50257, Tokenizer.VocabularySize);

    [Fact]
    public void Empty_text_has_no_tokens() => Assert.Empty(Tokenizer.Encode(""));

    [Fact]
    public void Lone_surrogates_are_encoded_as_replacement_characters()
    {
        var lone = "a" + '\uD800' + "b" + '\uDC00';
        Assert.Equal(Tokenizer.Encode("a\uFFFDb\uFFFD"), Tokenizer.Encode(lone));
    }

    [Theory]
    [InlineData(50257)]
    [InlineData(-1)]
    public void Decoding_an_id_outside_the_vocabulary_is_a_clear_error(int id)
    {
        var error = Assert.Throws<GptChatException>(() => Tokenizer.Decode([64, id]));
        Assert.Contains($"token id {id} ", error.Message);
        Assert.Equal(1, error.ExitCode);
    }

    [Fact]
    public void Whole_sequence_decoding_replaces_half_a_character()
    {
        var rainbow = Tokenizer.Encode("🌈");
        Assert.True(rainbow.Count > 1, "the test needs a character split across tokens");
        Assert.Equal("\uFFFD", Tokenizer.Decode(rainbow.Take(1)));
    }

    [Fact]
    public void Streaming_never_emits_half_a_character()
    {
        const string text = "Hi 🌈 ok 日本語 𝐈 é!";
        var ids = Tokenizer.Encode(text);
        var decoder = Tokenizer.CreateStreamingDecoder();

        var pieces = ids.Select(id => decoder.Append([id])).ToList();

        Assert.All(pieces, p => Assert.DoesNotContain('\uFFFD', p));
        Assert.Contains(pieces, p => p.Length == 0); // some tokens held bytes back
        Assert.Equal(text, string.Concat(pieces) + decoder.Flush());
    }

    [Fact]
    public void Streaming_several_tokens_at_once_gives_the_same_text()
    {
        const string text = "naïve café — 🌈🌈 done";
        var ids = Tokenizer.Encode(text).ToArray();
        var decoder = Tokenizer.CreateStreamingDecoder();
        Assert.Equal(text, decoder.Append(ids.AsSpan(0, 5)) + decoder.Append(ids.AsSpan(5)) + decoder.Flush());
    }

    [Fact]
    public void Flush_releases_an_incomplete_character_and_resets()
    {
        var rainbow = Tokenizer.Encode("🌈").ToArray();
        var decoder = Tokenizer.CreateStreamingDecoder();
        Assert.Equal("", decoder.Append(rainbow.AsSpan(0, 1)));
        Assert.Equal("\uFFFD", decoder.Flush());
        Assert.Equal("", decoder.Flush());
        Assert.Equal("🌈", decoder.Append(rainbow) + decoder.Flush());
    }

    [Fact]
    public void Streaming_a_bad_id_fails_without_losing_held_back_bytes()
    {
        var rainbow = Tokenizer.Encode("🌈").ToArray();
        var decoder = Tokenizer.CreateStreamingDecoder();
        decoder.Append(rainbow.AsSpan(0, 1));

        Assert.Throws<GptChatException>(() => decoder.Append([64, 70000]));

        Assert.Equal("🌈", decoder.Append(rainbow.AsSpan(1)) + decoder.Flush());
    }

    [Fact]
    public void Built_in_vocabulary_is_loaded_once() => Assert.Same(Gpt2Tokenizer.Load(), Gpt2Tokenizer.Load());

    [Fact]
    public void A_model_folder_without_vocabulary_files_uses_the_built_in_one() =>
        Assert.Same(Gpt2Tokenizer.Load(), Gpt2Tokenizer.Load(TestPaths.TinyModel));

    [Fact]
    public void A_missing_model_folder_is_a_runtime_error()
    {
        var error = Assert.Throws<GptChatException>(() => Gpt2Tokenizer.Load("/no/such/folder"));
        Assert.Contains("/no/such/folder", error.Message);
        Assert.Equal(1, error.ExitCode);   // as a missing model is everywhere (README: exit codes)
    }

    [Fact]
    public void Vocab_json_without_merges_txt_is_an_error()
    {
        using var folder = new TempFolder();
        File.WriteAllText(Path.Combine(folder.Path, "vocab.json"), "{}");
        var error = Assert.Throws<GptChatException>(() => Gpt2Tokenizer.Load(folder.Path));
        Assert.Contains("merges.txt", error.Message);
    }

    [Fact]
    public void Malformed_vocabulary_files_are_a_clear_error()
    {
        using var folder = new TempFolder();
        WriteHandMadeVocabulary(folder.Path);
        File.WriteAllText(Path.Combine(folder.Path, "vocab.json"), "{ not json");
        var error = Assert.Throws<GptChatException>(() => Gpt2Tokenizer.Load(folder.Path));
        Assert.Contains("vocab.json", error.Message);
        Assert.DoesNotContain("\n", error.Message);
    }

    [Fact]
    public void Vocabulary_files_in_the_model_folder_are_used()
    {
        // Byte b has id 255 - b, so the ids can only come from this vocab.json; merges make " ab" one token.
        using var folder = new TempFolder();
        WriteHandMadeVocabulary(folder.Path);
        var tokenizer = Gpt2Tokenizer.Load(folder.Path);

        var ids = tokenizer.Encode(" ab ba");

        Assert.Equal([257, 255 - ' ', 255 - 'b', 255 - 'a'], ids);
        Assert.Equal(" ab ba", tokenizer.Decode(ids));
        Assert.Equal(258, tokenizer.VocabularySize);
    }

    private static void WriteHandMadeVocabulary(string folder)
    {
        var vocab = new Dictionary<string, int>();
        for (int b = 0; b < 256; b++)
            vocab[ByteLevelSpelling.Of((byte)b).ToString()] = 255 - b;
        vocab["ab"] = 256;
        vocab[ByteLevelSpelling.Of(" ab")] = 257;
        File.WriteAllText(Path.Combine(folder, "vocab.json"), JsonSerializer.Serialize(vocab));
        File.WriteAllText(Path.Combine(folder, "merges.txt"), $"#version: 0.2\na b\n{ByteLevelSpelling.Of(" ")} ab\n");
    }

    private sealed class TempFolder : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("gptchat-tok-").FullName;
        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}

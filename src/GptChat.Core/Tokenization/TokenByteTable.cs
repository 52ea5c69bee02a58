using System.Text;
using System.Text.Json;

namespace GptChat.Tokenization;

/// <summary>
/// The bytes each token id stands for. Decoding is ours rather than the library's so that whole sequences and
/// streams are decoded the same way: concatenate the bytes, then read them as UTF-8.
/// </summary>
internal sealed class TokenByteTable
{
    private readonly byte[]?[] _bytesOfId;

    private TokenByteTable(byte[]?[] bytesOfId) => _bytesOfId = bytesOfId;

    /// <summary>One more than the largest id.</summary>
    public int Count => _bytesOfId.Length;

    /// <summary>The token's bytes; a <see cref="GptChatException"/> for an id the vocabulary lacks.</summary>
    public byte[] this[int id] =>
        (uint)id < (uint)_bytesOfId.Length && _bytesOfId[id] is { } bytes
            ? bytes
            : throw new GptChatException($"token id {id} is not in the tokenizer's vocabulary (ids 0..{_bytesOfId.Length - 1})");

    /// <summary>
    /// From tiktoken data: one token a line, "base64-bytes rank" or just "base64-bytes" (rank = line order, as in
    /// the library's embedded files, which also start with a "Capacity: N" line); the rank is the id.
    /// </summary>
    public static TokenByteTable FromTiktoken(string tiktokenText, IReadOnlyDictionary<string, int> specialTokens)
    {
        var entries = new List<(int Id, byte[] Bytes)>();
        foreach (var line in tiktokenText.AsSpan().EnumerateLines())
        {
            if (line.IsWhiteSpace() || line.StartsWith("Capacity:", StringComparison.Ordinal)) continue;
            int space = line.IndexOf(' ');
            var base64 = space < 0 ? line : line[..space];
            int rank = entries.Count;
            if (space >= 0 && !int.TryParse(line[(space + 1)..], out rank))
                throw new GptChatException($"malformed tiktoken line: '{line}'");
            entries.Add((rank, Convert.FromBase64String(base64.ToString())));
        }
        foreach (var (text, id) in specialTokens)
            entries.Add((id, Encoding.UTF8.GetBytes(text)));
        return FromEntries(entries);
    }

    /// <summary>From a GPT-2 vocab.json, whose keys spell bytes in <see cref="ByteLevelAlphabet"/>.</summary>
    public static TokenByteTable FromVocabJson(string vocabJsonPath)
    {
        var vocab = JsonSerializer.Deserialize<Dictionary<string, int>>(File.ReadAllBytes(vocabJsonPath))
            ?? throw new GptChatException($"{vocabJsonPath} is not a JSON object of token → id");
        var entries = new List<(int Id, byte[] Bytes)>(vocab.Count);
        foreach (var (token, id) in vocab)
        {
            // Added tokens may be written as plain text rather than in the byte alphabet.
            var bytes = ByteLevelAlphabet.TryGetBytes(token, out var b) ? b : Encoding.UTF8.GetBytes(token);
            entries.Add((id, bytes));
        }
        return FromEntries(entries);
    }

    private static TokenByteTable FromEntries(List<(int Id, byte[] Bytes)> entries)
    {
        int count = 0;
        foreach (var (id, _) in entries)
        {
            if (id < 0) throw new GptChatException($"negative token id {id} in the vocabulary");
            count = Math.Max(count, id + 1);
        }
        var table = new byte[]?[count];
        foreach (var (id, bytes) in entries)
            table[id] = bytes;
        return new TokenByteTable(table);
    }
}

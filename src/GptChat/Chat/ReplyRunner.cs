using System.Diagnostics;
using GptChat.Chat;
using GptChat.Generation;
using GptChat.Tokenization;

namespace GptChat.Cli.Chat;

/// <summary>Produces one reply: prompt from the session, generation with streaming, cut at the end of the bot's turn or on Ctrl+C.</summary>
internal sealed class ReplyRunner(ICausalLM model, Gpt2Tokenizer tokenizer, ChatSession session)
{
    private readonly TimedCausalLM _model = new(model);

    public ChatSession Session => session;

    /// <param name="onText">Receives the reply's text as it becomes final (null: no streaming).</param>
    /// <param name="onWarning">Receives lines about truncation and clamping.</param>
    /// <param name="interrupt">Cancels this reply only; what was produced so far is returned, marked interrupted.</param>
    public Reply Run(string userLine, ReplySettings settings, Action<string>? onText, Action<string> onWarning, CancellationToken interrupt)
    {
        var prepared = session.Prepare(userLine, settings.Generation, settings.MaxLengthExplicit);
        // Text that is there but encodes to nothing is the vocabulary's fault, not a usage error about the prompt.
        if (prepared.Ids.Count == 0 && !string.IsNullOrWhiteSpace(userLine))
            throw new GptChatException("the model's vocabulary encodes this text as no tokens at all: check vocab.json and merges.txt in the model folder");
        foreach (var warning in prepared.Warnings)
            onWarning(warning);

        // The session has turned HF's length options into exact new-token counts for this prompt.
        var options = settings.Generation with
        {
            MaxNewTokens = prepared.Length.MaxNewTokens,
            MinLength = 0,
            MinNewTokens = prepared.Length.MinNewTokens,
        };

        // Generation stops (and returns what it has) on Ctrl+C or at the end of the bot's turn.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(interrupt);
        var stream = new ReplyStream(tokenizer.CreateStreamingDecoder(), session, onText);
        var start = Stopwatch.GetTimestamp();
        TimeSpan? firstToken = null;
        GenerationResult result;
        try
        {
            result = Generator.Generate(_model, prepared.Ids, options, tokens =>
            {
                // After Ctrl+C nothing more is shown: the generator's closing "rest of the best beam" is dropped.
                if (interrupt.IsCancellationRequested)
                    return;
                firstToken ??= Stopwatch.GetElapsedTime(start);
                if (stream.Add(tokens))
                    stop.Cancel();
            }, stop.Token);
        }
        catch (GenerationOptionException e)
        {
            throw GenerationFlags.UsageError(e);
        }
        stream.Finish();
        var total = Stopwatch.GetElapsedTime(start);

        // A reply cut short is what was shown; otherwise the generator's sequences, best first.
        var interrupted = interrupt.IsCancellationRequested;
        var cut = interrupted || stream.EndedByTurn;
        var sequences = cut ? [new GeneratedSequence(stream.Ids.ToArray(), null)] : result.Sequences;
        var finish = cut ? FinishReason.Stop : result.FinishReason;
        var generated = sequences.Count > 0 ? sequences[0].Ids.Count : 0;
        var timings = new ReplyTimings(_model.PrefillTime, firstToken ?? total, total, prepared.Ids.Count, generated);
        return new Reply(prepared, sequences, stream.Text, finish, interrupted, timings);
    }

    /// <summary>Remembers the exchange for the next prompt (chat formats only).</summary>
    public void Commit(string userLine, Reply reply) => session.Commit(reply.Prompt, userLine, reply.Text);

    /// <summary>The text of a returned sequence, without its EOS.</summary>
    public string TextOf(GeneratedSequence sequence)
    {
        var ids = sequence.Ids;
        var n = ids.Count > 0 && ids[^1] == Gpt2Tokenizer.EndOfTextId ? ids.Count - 1 : ids.Count;
        return tokenizer.Decode(ids.Take(n));
    }
}

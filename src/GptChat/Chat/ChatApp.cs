using System.Runtime.InteropServices;
using GptChat.Chat;
using GptChat.Generation;
using GptChat.Generation.Processors;
using GptChat.Generation.Stopping;
using GptChat.Cli.Rendering;
using GptChat.Cli.Terminal;
using GptChat.Hub;
using GptChat.Modeling;
using GptChat.Tokenization;

namespace GptChat.Cli.Chat;

/// <summary>
/// The root command: opens the model once, then answers in one of three modes — one-shot (<c>--prompt</c>),
/// pipe (stdin redirected) or interactive (stdin is a terminal). Replies go to stdout; banner, warnings, stats
/// and errors to stderr. Every failure ends as one line and an exit code (2 usage, 1 runtime, 130 interrupted).
/// </summary>
internal sealed class ChatApp
{
    public const int ExitInterrupted = 130;

    private readonly ChatOptions _options;
    private readonly Func<CancellationToken, Task<ResolvedModel>> _resolveModel;
    private readonly TextWriter _output;
    private readonly Notices _notices;
    private readonly List<Task> _background = [];
    private readonly CancellationTokenSource _interrupt = new();
    private bool _generating;

    private ChatApp(ChatOptions options, Func<CancellationToken, Task<ResolvedModel>> resolveModel, TextWriter output, TextWriter error)
    {
        _options = options;
        _resolveModel = resolveModel;
        _output = output;
        _notices = new Notices(error);
    }

    /// <param name="resolveModel">Finds (or downloads) the model folder named by <c>--model</c>.</param>
    public static async Task<int> RunAsync(ChatOptions options, Func<CancellationToken, Task<ResolvedModel>> resolveModel,
                                           TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var app = new ChatApp(options, resolveModel, output, error);
        try
        {
            return await app.RunAsync(cancellationToken);
        }
        catch (OutputClosedException)
        {
            return 0;
        }
        catch (OperationCanceledException)
        {
            return ExitInterrupted;
        }
        catch (Exception e)
        {
            app.ReportError(e);
            return e is GptChatException { ExitCode: var code } ? code : 1;
        }
        finally
        {
            app.WaitForBackgroundWork();
        }
    }

    /// <summary>The types a reply runs through after the model is open, compiled while it loads (see <see cref="HotPathJit"/>).</summary>
    private static readonly Type[] ReplyPath =
    [
        typeof(ReplyRunner), typeof(ReplyStream), typeof(TimedCausalLM), typeof(ChatSession), typeof(StreamingDecoder),
        typeof(Generator), typeof(BeamSearch), typeof(SampleSearch), typeof(TopKSelector), typeof(VectorMath), typeof(TokenRow),
        typeof(LogitsProcessorList), typeof(NoRepeatNGramProcessor), typeof(RepetitionPenaltyProcessor),
        typeof(TemperatureWarper), typeof(TopKWarper), typeof(TopPWarper), typeof(MinNewTokensProcessor),
        typeof(StoppingCriteria), typeof(MaxLengthCriterion), typeof(EosCriterion),
        typeof(OnnxCausalLM), typeof(KvCache), typeof(StepInputs), typeof(NativeBuffer), typeof(CacheTensor),
    ];

    private async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        if (_options.Prompt is { Length: 0 })
            throw new GptChatException("--prompt is empty: give the text to continue", exitCode: 2);

        if (_options.Prompt is null && ClosedAtStart.Descriptor(ClosedAtStart.Stdin))
            throw ClosedAtStart.StdinError();

        _background.Add(OnnxCausalLM.StartLoadingRuntime());
        var resolved = await _resolveModel(cancellationToken);
        // The vocabulary loads (~60 ms) on another core while ONNX Runtime maps the model: one-shot start-up is
        // what a user waits for on every call.
        var loadingTokenizer = Task.Run(() => Gpt2Tokenizer.Load(resolved.Folder), cancellationToken);
        _background.Add(loadingTokenizer);
        _background.Add(HotPathJit.Start(ReplyPath));
        using var model = OnnxCausalLM.Open(resolved.Folder, new ModelOpenOptions
        {
            OnnxFile = _options.OnnxFile ?? resolved.OnnxFile,
            IntraOpThreads = _options.Threads,
        });
        var tokenizer = await loadingTokenizer;
        var session = new ChatSession(tokenizer.Encode, model.ContextLength, _options.Reply.Format);
        var runner = new ReplyRunner(_options.StepDelay > TimeSpan.Zero ? new ThrottledCausalLM(model, _options.StepDelay) : model, tokenizer, session);

        if (_options.Prompt is null && !Console.IsInputRedirected)
            return new InteractiveChat(_options, runner, _output, _notices, Describe(resolved.Folder, model)).Run();

        // One-shot and pipe mode: Ctrl+C while a reply is generated cuts it; it is still written as a whole line and
        // the app ends with 130 instead of dying mid-line. At any other moment (loading, waiting for input), or a
        // second time, Ctrl+C is the default, immediate termination.
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context =>
        {
            context.Cancel = Volatile.Read(ref _generating) && !_interrupt.IsCancellationRequested;
            if (context.Cancel)
                _interrupt.Cancel();
        });
        if (_options.Prompt is { } oneShot)
            return AnswerOnce(runner, oneShot);

        var stdin = new Utf8LineReader(Console.OpenStandardInput());
        if (_options.Stdin == StdinMode.Whole)
        {
            var text = stdin.ReadToEnd();
            WarnIfInvalid(stdin);
            if (string.IsNullOrWhiteSpace(text))
            {
                Warn("stdin is empty: nothing to answer");
                return 0;
            }
            return AnswerOnce(runner, text);
        }
        return AnswerLines(runner, stdin);
    }

    /// <summary>One-shot: the reply (streamed) or its JSON on stdout.</summary>
    private int AnswerOnce(ReplyRunner runner, string prompt)
    {
        if (_options.Json)
        {
            var reply = Generate(() => runner.Run(prompt, _options.Reply, null, Warn, _interrupt.Token));
            _output.WriteLine(ReplyJson.Format(reply, runner.TextOf));
            ShowStats(reply);
            return Ended(reply);
        }

        // What goes before the reply is written with its first piece: an option the generator refuses prints nothing.
        var started = false;
        void Start()
        {
            if (started)
                return;
            started = true;
            _output.Write(ReturnedSequences.FirstLabel(_options.Reply.Generation.NumReturnSequences));
            if (_options.EchoPrompt)
                _output.Write(prompt);
        }
        var printer = new ReplyPrinter(_output, keepLeadingWhitespace: _options.EchoPrompt);
        var answer = Generate(() => runner.Run(prompt, _options.Reply, piece => { Start(); printer.Write(piece); }, Warn, _interrupt.Token));
        Start();
        _output.WriteLine();
        ReturnedSequences.WriteOthers(_output, answer.Sequences.Skip(1).Select(runner.TextOf), _options.EchoPrompt ? prompt : null);
        ShowStats(answer);
        return Ended(answer);
    }

    /// <summary>
    /// Pipe mode: each non-empty line is a prompt and gets exactly one line back, written and flushed before
    /// the next line is read (so gptchat also works as a co-process). A stop phrase ends it.
    /// </summary>
    private int AnswerLines(ReplyRunner runner, Utf8LineReader stdin)
    {
        var warnedUtf8 = false;
        while (stdin.ReadLine() is { } line)
        {
            if (!warnedUtf8 && stdin.SawInvalidUtf8)
            {
                WarnIfInvalid(stdin);
                warnedUtf8 = true;
            }
            if (string.IsNullOrWhiteSpace(line))
                continue;
            if (StopPhrase.MatchesAny(_options.StopPhrases, line))
                break;

            var reply = Generate(() => runner.Run(line, _options.Reply, null, Warn, _interrupt.Token));
            runner.Commit(line, reply);
            _output.WriteLine(_options.Json
                ? ReplyJson.Format(reply, runner.TextOf)
                : LineEscaper.Escape(_options.EchoPrompt ? line + reply.Text : reply.Text.Trim()));
            _output.Flush();
            ShowStats(reply);
            if (reply.Interrupted)
                return Ended(reply);
            if (StopPhrase.MatchesAny(_options.StopPhrases, reply.Text))
                break;
        }
        return 0;
    }

    private void WarnIfInvalid(Utf8LineReader stdin)
    {
        if (stdin.SawInvalidUtf8)
            Warn("stdin is not valid UTF-8: invalid bytes were replaced by U+FFFD");
    }

    private void Warn(string message) => _notices.Warn(message);

    private void ShowStats(Reply reply)
    {
        if (_options.Stats)
            _notices.Stats(reply.Timings);
    }

    /// <summary>
    /// Waits for the start-up work begun on other threads. An early error (a missing model, say) would otherwise end
    /// the process while ONNX Runtime's native library is still initialising on another thread, and that exit
    /// crashed with SIGSEGV or SIGABRT about half the time instead of exiting 1.
    /// </summary>
    private void WaitForBackgroundWork()
    {
        foreach (var task in _background)
        {
            try
            {
                task.Wait();
            }
            catch (Exception)
            {
                // Its failure, if it matters, was met and reported on the main path.
            }
        }
    }

    /// <summary>Runs one reply with Ctrl+C set to cut it (see the SIGINT registration in RunAsync).</summary>
    private Reply Generate(Func<Reply> reply)
    {
        Volatile.Write(ref _generating, true);
        try
        {
            return reply();
        }
        finally
        {
            Volatile.Write(ref _generating, false);
        }
    }

    /// <summary>The exit code after a reply: 130, said in one line, when Ctrl+C cut it short.</summary>
    private int Ended(Reply reply)
    {
        if (!reply.Interrupted)
            return 0;
        _notices.Error("interrupted: the reply was cut short");
        return ExitInterrupted;
    }

    private void ReportError(Exception e)
    {
        var line = e.Message.ReplaceLineEndings(" ").Trim();
        _notices.Error(line.Length > 0 ? line : e.GetType().Name);
        if (_options.Verbose)
            _notices.Writer.WriteLine(e.ToString());
    }

    private string Describe(string folder, OnnxCausalLM model) =>
        $"gptchat · {Path.GetFileName(folder.TrimEnd('/'))} ({model.LayoutName}, context {model.ContextLength})";
}

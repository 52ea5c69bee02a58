using GptChat.Chat;
using GptChat.Cli.Rendering;
using GptChat.Cli.Terminal;

namespace GptChat.Cli.Chat;

/// <summary>
/// The read–generate–print loop on a terminal: a banner on stderr, a line editor with history, replies streamed
/// to stdout as they are produced, slash commands, Ctrl+C to stop a reply, a stop phrase or Ctrl+D to end.
/// </summary>
internal sealed class InteractiveChat(ChatOptions options, ReplyRunner runner, TextWriter output, Notices notices, string modelLine)
{
    private readonly TextWriter _error = notices.Writer;
    private readonly ConsoleStyle _style = notices.Style;
    private readonly ReplySettings _settings = options.Reply;
    private bool _stats = options.Stats;
    private bool _echoPrompt = options.EchoPrompt;
    private Reply? _lastReply;
    private int _replies, _generatedTokens;
    private TimeSpan _generatingTime;

    public int Run()
    {
        // The banner: model and the settings it starts with (/show prints the settings as they are then).
        _error.WriteLine(_style.Bold($"{modelLine} · {_settings.Describe()}"));
        _error.WriteLine(_style.Dim("Type a line and press Enter. /help for commands; /bye, Ctrl+D or the stop phrase to quit."));

        using var interrupts = new InterruptMonitor(() => Environment.Exit(ChatApp.ExitInterrupted));
        var history = options.History ? HistoryFile.Open(HistoryFile.DefaultPath(), Warn) : null;
        var editor = new LineEditor(new ConsoleKeySource(), _error, history?.Entries ?? [], new ConsoleTerminalSize());
        var prompt = _style.Green("you> ");

        while (true)
        {
            LineRead read;
            using (ConsoleKeySource.ReadingLine())
                read = editor.ReadLine(prompt);
            if (read.Kind == LineReadKind.EndOfInput)
                return 0;
            if (read.Kind == LineReadKind.Interrupt)
            {
                if (interrupts.Press())
                    return ChatApp.ExitInterrupted;
                _error.WriteLine(_style.Dim("(Ctrl+C again within 2 s to quit, or /bye, or Ctrl+D)"));
                continue;
            }

            var line = read.Text;
            if (string.IsNullOrWhiteSpace(line))
                continue;
            history?.Add(line);
            if (StopPhrase.MatchesAny(options.StopPhrases, line))
                return 0;
            if (line.TrimStart().StartsWith('/'))
            {
                if (!RunCommand(line.Trim()))
                    return 0;
                continue;
            }

            var reply = Answer(line, interrupts);
            if (StopPhrase.MatchesAny(options.StopPhrases, reply.Text))
                return 0;
        }
    }

    private Reply Answer(string line, InterruptMonitor interrupts)
    {
        using var cancel = new CancellationTokenSource();
        Reply reply;
        using (interrupts.Guard(cancel))
        {
            if (options.Json)
            {
                reply = runner.Run(line, _settings, null, Warn, cancel.Token);
                output.WriteLine(ReplyJson.Format(reply, runner.TextOf));
            }
            else
            {
                var label = false;
                var printer = new ReplyPrinter(output, keepLeadingWhitespace: _echoPrompt);
                void Label()
                {
                    if (label)
                        return;
                    label = true;
                    _error.Write(_style.Cyan("bot> "));
                    _error.Flush();
                    output.Write(ReturnedSequences.FirstLabel(_settings.Generation.NumReturnSequences));
                    if (_echoPrompt)
                        output.Write(line);
                }
                reply = runner.Run(line, _settings, piece => { Label(); printer.Write(piece); }, Warn, cancel.Token);
                Label();
                if (reply.Interrupted)
                {
                    output.Flush();
                    _error.Write(_style.Dim(" [cut]"));
                    _error.Flush();
                }
                output.WriteLine();
                ReturnedSequences.WriteOthers(output, reply.Sequences.Skip(1).Select(runner.TextOf), _echoPrompt ? line : null);
            }
        }
        output.Flush();

        runner.Commit(line, reply);
        _lastReply = reply;
        _replies++;
        _generatedTokens += reply.Timings.GeneratedTokens;
        _generatingTime += reply.Timings.Total - reply.Timings.Prompt;
        if (_stats)
            notices.Stats(reply.Timings);
        return reply;
    }

    /// <summary>Runs a slash command; false when the chat should end.</summary>
    private bool RunCommand(string line)
    {
        var parts = line.Split((char[]?)null, 3, StringSplitOptions.RemoveEmptyEntries);
        switch (parts[0].ToLowerInvariant())
        {
            case "/bye" or "/quit" or "/exit":
                return false;
            case "/help":
                Help();
                break;
            case "/show":
                _error.WriteLine(modelLine);
                _error.WriteLine($"settings: {_settings.Describe()}{(_stats ? ", stats on" : "")}{(_echoPrompt ? ", echo-prompt on" : "")}");
                _error.WriteLine($"history: {runner.Session.History.Count} turns kept");
                break;
            case "/reset":
                runner.Session.Reset();
                _error.WriteLine("history cleared");
                break;
            case "/stats":
                if (_lastReply is null)
                    _error.WriteLine("no reply yet");
                else
                    _error.WriteLine($"last reply: {_lastReply.Timings.Describe()}");
                var rate = _generatingTime.TotalSeconds > 0 ? _generatedTokens / _generatingTime.TotalSeconds : 0;
                _error.WriteLine($"session: {_replies} replies, {_generatedTokens} tokens generated, {rate:F1} tokens/s");
                break;
            case "/set":
                Set(parts.Length > 1 ? parts[1] : null, parts.Length > 2 ? parts[2] : null);
                break;
            default:
                _error.WriteLine(_style.Yellow($"unknown command {parts[0]} (try /help)"));
                break;
        }
        return true;
    }

    private void Set(string? name, string? value)
    {
        if (name is null || value is null)
        {
            _error.WriteLine("usage: /set <option> <value>; options: " +
                string.Join(", ", GenerationFlags.All.Select(f => f.Name).Concat(["format", "stats", "echo-prompt"])));
            return;
        }
        try
        {
            switch (name.TrimStart('-').ToLowerInvariant())
            {
                case "format":
                    _settings.Format = GenerationFlags.ParseFormat(value);
                    runner.Session.Format = _settings.Format;
                    break;
                case "stats":
                    _stats = GenerationFlags.Bool("stats", value);
                    break;
                case "echo-prompt":
                    _echoPrompt = GenerationFlags.Bool("echo-prompt", value);
                    break;
                default:
                    var flag = GenerationFlags.Find(name)
                        ?? throw new GptChatException($"unknown option '{name}' (see /set for the list)", exitCode: 2);
                    var (before, explicitBefore) = (_settings.Generation, _settings.MaxLengthExplicit);
                    try
                    {
                        flag.Apply(_settings, value);
                        GenerationFlags.Validate(_settings);
                    }
                    catch (GptChatException)
                    {
                        (_settings.Generation, _settings.MaxLengthExplicit) = (before, explicitBefore);
                        throw;
                    }
                    break;
            }
            _error.WriteLine($"settings: {_settings.Describe()}");
        }
        catch (GptChatException e)
        {
            _error.WriteLine(_style.Yellow(e.Message));
        }
    }

    private void Help()
    {
        _error.WriteLine("""
            /help                 this list
            /set <option> <value> change a setting, e.g. /set num-beams 3, /set do-sample true, /set format transcript
            /show                 model and current settings
            /reset                forget the conversation history
            /stats                timings of the last reply and of the session
            /bye                  quit (also Ctrl+D, or the stop phrase)
            Ctrl+C stops a reply; twice within 2 s quits.
            """);
    }

    private void Warn(string message) => notices.Warn(message);
}

using System.CommandLine;
using GptChat.Chat;
using GptChat.Cli.Chat;

namespace GptChat.Cli.Commands;

/// <summary>The root command: chat interactively, answer <c>--prompt</c> once, or answer stdin line by line.</summary>
internal static class ChatCommand
{
    public static RootCommand Create()
    {
        var model = new Option<string>("--model", "-m")
        {
            Description = "Model folder (config.json + onnx/) or Hugging Face Hub id",
            HelpName = "DIR|ID",
            DefaultValueFactory = _ => "openai-community/gpt2",
        };
        var prompt = new Option<string?>("--prompt", "-p") { Description = "Answer this prompt once and exit", HelpName = "TEXT" };
        var json = new Option<bool>("--json") { Description = "One JSON object per reply (ids, text, score, finish_reason, timings)" };
        var stdin = new Option<string>("--stdin")
        {
            Description = "With stdin redirected: each line is a prompt (lines), or all of it is one (whole)",
            HelpName = "lines|whole",
            DefaultValueFactory = _ => "lines",
        };
        var format = new Option<string>("--format")
        {
            Description = "plain: each line on its own; transcript: User:/Bot: transcript; dialogpt: turns joined by <|endoftext|>",
            HelpName = "plain|transcript|dialogpt",
            DefaultValueFactory = _ => "plain",
        };
        var stopPhrases = new Option<string[]>("--stop-phrase")
        {
            Description = $"A line (yours or the bot's) that ends the chat; repeatable",
            DefaultValueFactory = _ => [StopPhrase.Default],
        };
        var echo = new Option<bool>("--echo-prompt") { Description = "Print the prompt before its continuation" };
        var noHistory = new Option<bool>("--no-history") { Description = "Do not read or write the input history file" };
        var stats = new Option<bool>("--stats") { Description = "After each reply: time to first token, prompt and generation speed" };
        var verbose = new Option<bool>("--verbose") { Description = "Show stack traces of errors" };
        var onnxFile = new Option<string?>("--onnx-file") { Description = "Use this ONNX file (relative to the model folder)", HelpName = "REL" };
        var stepDelay = new Option<int>("--step-delay-ms") { Hidden = true, Description = "Wait this long before each decoding step (tests)" };
        var threads = new Option<string?>("--threads") { Description = "ONNX Runtime intra-op threads [physical cores]", HelpName = "N" };

        var root = new RootCommand("Chat with GPT-2 locally through ONNX Runtime")
        {
            model, prompt, json, stdin, format, stopPhrases, echo, noHistory, stats, verbose, onnxFile, threads, stepDelay,
        };

        var hub = new HubOptions();
        hub.AddTo(root);

        var generation = GenerationFlags.All.Select(flag =>
        {
            var option = new Option<string?>("--" + flag.Name)
            {
                Description = flag.Description,
                HelpName = flag.HelpName,
                Arity = flag.IsSwitch ? ArgumentArity.ZeroOrOne : ArgumentArity.ExactlyOne,
            };
            root.Options.Add(option);
            return (flag, option);
        }).ToList();

        root.SetAction((pr, ct) => CommandErrors.RunAsync(pr.InvocationConfiguration.Error, () =>
        {
            var reply = new ReplySettings();
            reply.Format = GenerationFlags.ParseFormat(pr.GetValue(format)!);
            var stdinMode = pr.GetValue(stdin)!.Trim().ToLowerInvariant() switch
            {
                "lines" => StdinMode.Lines,
                "whole" => StdinMode.Whole,
                var other => throw new GptChatException($"--stdin must be lines or whole (got '{other}')", exitCode: 2),
            };
            int? threadCount = pr.GetValue(threads) is { } t ? GenerationFlags.ThreadsWithinLimit(GenerationFlags.Int("threads", t, 1)) : null;
            foreach (var (flag, option) in generation)
            {
                var result = pr.GetResult(option);
                if (result is null)
                    continue;
                flag.Apply(reply, pr.GetValue(option) ?? "true");
            }
            GenerationFlags.Validate(reply);

            var options = new ChatOptions
            {
                Model = pr.GetValue(model)!,
                Prompt = pr.GetValue(prompt),
                Json = pr.GetValue(json),
                Stdin = stdinMode,
                StopPhrases = [.. pr.GetValue(stopPhrases)!.Select(p => new StopPhrase(p))],
                EchoPrompt = pr.GetValue(echo),
                History = !pr.GetValue(noHistory),
                Stats = pr.GetValue(stats),
                Verbose = pr.GetValue(verbose),
                OnnxFile = pr.GetValue(onnxFile),
                Threads = threadCount,
                StepDelay = TimeSpan.FromMilliseconds(Math.Max(0, pr.GetValue(stepDelay))),
                Reply = reply,
            };
            // ChatApp reports its own errors (styled, with --verbose traces); only option parsing above needs CommandErrors.
            return ChatApp.RunAsync(options, token => hub.ResolveModelAsync(pr, options.Model, token),
                pr.InvocationConfiguration.Output, pr.InvocationConfiguration.Error, ct);
        }));
        return root;
    }
}

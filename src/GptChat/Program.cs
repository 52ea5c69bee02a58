using System.CommandLine;
using GptChat;
using GptChat.Cli.Chat;
using GptChat.Cli.Commands;
using GptChat.Cli.Rendering;
using GptChat.Cli.Terminal;

// The root command is the chat itself (interactive, --prompt or stdin); the rest are tools.
var root = ChatCommand.Create();
root.Subcommands.Add(TokenizeCommand.Create());
root.Subcommands.Add(DownloadCommand.Create());
root.Subcommands.Add(ModelsCommand.Create());
root.Subcommands.Add(BenchCommand.Create());

var invocation = new InvocationConfiguration
{
    // The chat handles Ctrl+C itself (cancel the reply, not the app).
    ProcessTerminationTimeout = null,
    // Failures below end as one line, never System.CommandLine's stack trace.
    EnableDefaultExceptionHandler = false,
    Output = StandardOutput.Open(),
    // Best effort, and nothing at all when descriptor 2 is not the stderr we were given.
    Error = ClosedAtStart.Descriptor(ClosedAtStart.Stderr) ? TextWriter.Null : GuardedWriter.BestEffort(Console.Error),
};
var parsed = root.Parse(args);

// A command line that does not parse is a usage error: exit 2 (System.CommandLine's own default is 1).
if (parsed.Errors.Count > 0)
{
    var messages = parsed.Errors.Select(e => string.Join(' ', e.Message.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)));
    invocation.Error.WriteLine($"gptchat: {string.Join(" ", messages)} (see gptchat --help)");
    return 2;
}

try
{
    if (ClosedAtStart.Descriptor(ClosedAtStart.Stdout))
        throw ClosedAtStart.StdoutError();
    return await parsed.InvokeAsync(invocation);
}
catch (OutputClosedException)
{
    return 0; // the reader of stdout has gone (… | head -1): nothing left to say
}
catch (Exception e)
{
    var line = e.Message.ReplaceLineEndings(" ").Trim();
    try
    {
        invocation.Error.WriteLine(e is GptChatException ? $"gptchat: {line}" : $"gptchat: unexpected error: {line}");
        if (args.Contains("--verbose"))
            invocation.Error.WriteLine(e);
    }
    catch (IOException)
    {
        // stderr is gone too: the exit code is all that is left.
    }
    return e is GptChatException { ExitCode: var code } ? code : 1;
}

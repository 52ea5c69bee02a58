using System.CommandLine;
using GptChat.Cli.Commands;

// The root command is the chat itself (interactive, --prompt or stdin); the rest are tools.
var root = ChatCommand.Create();
root.Subcommands.Add(TokenizeCommand.Create());
root.Subcommands.Add(DownloadCommand.Create());
root.Subcommands.Add(ModelsCommand.Create());
root.Subcommands.Add(BenchCommand.Create());

// ProcessTerminationTimeout = null: the chat handles Ctrl+C itself (cancel the reply, not the app).
var invocation = new InvocationConfiguration { ProcessTerminationTimeout = null };
var parsed = root.Parse(args);

// A command line that does not parse is a usage error: exit 2 (System.CommandLine's own default is 1).
if (parsed.Errors.Count > 0)
{
    var messages = parsed.Errors.Select(e => string.Join(' ', e.Message.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)));
    invocation.Error.WriteLine($"gptchat: {string.Join(" ", messages)} (see gptchat --help)");
    return 2;
}
return await parsed.InvokeAsync(invocation);

using System.CommandLine;
using GptChat.Cli.Commands;

// The root command is the chat itself (interactive, --prompt or stdin); the rest are tools.
var root = ChatCommand.Create();
root.Subcommands.Add(TokenizeCommand.Create());
root.Subcommands.Add(DownloadCommand.Create());
root.Subcommands.Add(ModelsCommand.Create());
root.Subcommands.Add(BenchCommand.Create());

// ProcessTerminationTimeout = null: the chat handles Ctrl+C itself (cancel the reply, not the app).
return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });

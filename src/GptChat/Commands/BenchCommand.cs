using System.CommandLine;

namespace GptChat.Cli.Commands;

internal static class BenchCommand
{
    public static Command Create()
    {
        var command = new Command("bench", "(not implemented yet)");
        command.SetAction(pr => { pr.InvocationConfiguration.Error.WriteLine("gptchat: 'bench' is not implemented yet"); return 1; });
        return command;
    }
}

using System.CommandLine;

namespace GptChat.Cli.Commands;

internal static class TokenizeCommand
{
    public static Command Create()
    {
        var command = new Command("tokenize", "(not implemented yet)");
        command.SetAction(pr => { pr.InvocationConfiguration.Error.WriteLine("gptchat: 'tokenize' is not implemented yet"); return 1; });
        return command;
    }
}

using System.CommandLine;

namespace GptChat.Cli.Commands;

internal static class ModelsCommand
{
    public static Command Create()
    {
        var command = new Command("models", "(not implemented yet)");
        command.SetAction(pr => { pr.InvocationConfiguration.Error.WriteLine("gptchat: 'models' is not implemented yet"); return 1; });
        return command;
    }
}

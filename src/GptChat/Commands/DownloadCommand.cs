using System.CommandLine;

namespace GptChat.Cli.Commands;

internal static class DownloadCommand
{
    public static Command Create()
    {
        var command = new Command("download", "(not implemented yet)");
        command.SetAction(pr => { pr.InvocationConfiguration.Error.WriteLine("gptchat: 'download' is not implemented yet"); return 1; });
        return command;
    }
}

using System.CommandLine;

namespace GptChat.Cli.Commands;

internal static class ChatCommand
{
    public static RootCommand Create()
    {
        var root = new RootCommand("Chat with GPT-2 locally through ONNX Runtime");
        root.SetAction(pr => { pr.InvocationConfiguration.Error.WriteLine("gptchat: chat is not implemented yet"); return 1; });
        return root;
    }
}

namespace GptChat.Cli.Commands;

/// <summary>Runs a command's body and turns a <see cref="GptChatException"/> into its one line on stderr and its exit code.</summary>
internal static class CommandErrors
{
    public static async Task<int> RunAsync(TextWriter error, Func<Task<int>> body)
    {
        try
        {
            return await body();
        }
        catch (GptChatException e)
        {
            error.WriteLine($"gptchat: {e.Message}");
            return e.ExitCode;
        }
    }
}

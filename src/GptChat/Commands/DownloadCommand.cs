using System.CommandLine;

namespace GptChat.Cli.Commands;

/// <summary>
/// <c>gptchat download &lt;id&gt;</c>: fetches a Hub model into the cache without chatting (asking the Hub what the revision
/// points at now) and prints the local model folder on stdout.
/// </summary>
/// <remarks>Exit codes: 0 done; 1 a download or Hub error; 2 a usage error (bad id, revision or variant).</remarks>
internal static class DownloadCommand
{
    public static Command Create(Func<string, string?>? environment = null)
    {
        var model = new Argument<string>("model")
        {
            Description = "Hub model id (gpt2, distilgpt2, Xenova/gpt2, org/name) or a local folder",
        };
        var hub = new HubOptions(environment);
        var command = new Command("download", "Download a model from the Hugging Face Hub into the cache, without chatting") { model };
        hub.AddTo(command);
        command.SetAction((parseResult, cancellationToken) =>
            CommandErrors.RunAsync(parseResult.InvocationConfiguration.Error, async () =>
            {
                var resolved = await hub.ResolveModelAsync(parseResult, parseResult.GetValue(model)!, cancellationToken, preferCache: false);
                parseResult.InvocationConfiguration.Output.WriteLine(resolved.Folder);
                return 0;
            }));
        return command;
    }
}

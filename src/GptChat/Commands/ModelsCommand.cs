using System.CommandLine;
using GptChat.Cli.Rendering;
using GptChat.Hub;

namespace GptChat.Cli.Commands;

/// <summary>
/// <c>gptchat models</c> lists the models in the Hugging Face hub cache with their sizes and revisions;
/// <c>gptchat models rm &lt;id&gt;</c> removes one.
/// </summary>
/// <remarks>Exit codes: 0 done; 1 nothing to remove, or a download of it is running; 2 a usage error.</remarks>
internal static class ModelsCommand
{
    // How long rm waits for a download's lock before it gives up: enough for a download that only finds its blob already
    // there, too short to look hung behind one that is really downloading.
    private static readonly TimeSpan RemoveLockWait = TimeSpan.FromSeconds(1);

    public static Command Create(Func<string, string?>? environment = null)
    {
        var hub = new HubOptions(environment);
        var command = new Command("models", "List the models in the Hugging Face hub cache (and remove them with 'models rm')");
        command.Options.Add(hub.CacheDir);
        command.SetAction(parseResult =>
        {
            var cacheRoot = CacheRoot(hub, parseResult);
            var output = parseResult.InvocationConfiguration.Output;
            var models = CachedModels.List(cacheRoot);
            if (models.Count == 0)
            {
                output.WriteLine($"no models in the cache at {cacheRoot}");
                return 0;
            }
            var width = models.Max(m => m.Id.Length);
            foreach (var m in models)
            {
                var revisions = m.Refs.Count > 0
                    ? string.Join(", ", m.Refs.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => $"{r.Key} {Short(r.Value)}"))
                    : string.Join(", ", m.Snapshots.Select(Short));
                output.WriteLine($"{m.Id.PadRight(width)}  {ByteSize.Format(m.SizeBytes),9}  {revisions}");
            }
            output.WriteLine($"{models.Count} model(s), {ByteSize.Format(models.Sum(m => m.SizeBytes))} in {cacheRoot}");
            return 0;
        });

        var model = new Argument<string>("model") { Description = "Hub model id to remove (all its revisions)" };
        var remove = new Command("rm", "Remove a model from the cache") { model };
        remove.Options.Add(hub.CacheDir);
        remove.SetAction((parseResult, cancellationToken) => CommandErrors.RunAsync(parseResult.InvocationConfiguration.Error, async () =>
        {
            var cacheRoot = CacheRoot(hub, parseResult);
            var removed = await CachedModels.RemoveAsync(cacheRoot, parseResult.GetValue(model)!, RemoveLockWait, cancellationToken);
            parseResult.InvocationConfiguration.Output.WriteLine($"removed {removed.Id} ({ByteSize.Format(removed.SizeBytes)}) from {cacheRoot}");
            return 0;
        }));
        command.Subcommands.Add(remove);
        return command;
    }

    private static string CacheRoot(HubOptions hub, ParseResult parseResult) => hub.ToSettings(parseResult).CacheDir!;

    private static string Short(string commit) => commit.Length > 7 ? commit[..7] : commit;
}

using System.CommandLine;
using GptChat.Hub;
using GptChat.Cli.Rendering;

namespace GptChat.Cli.Commands;

/// <summary>
/// The flags that say where models come from (<c>--revision</c>, <c>--variant</c>, <c>--offline</c>, <c>--cache-dir</c>,
/// <c>--quiet</c>), shared by the chat and <c>gptchat download</c>, and how they combine with the HF_* environment.
/// </summary>
/// <remarks>Usage: <c>var hub = new HubOptions(); hub.AddTo(command);</c> then in the action
/// <c>await hub.ResolveModelAsync(parseResult, model, cancellationToken)</c>.</remarks>
internal sealed class HubOptions(Func<string, string?>? environment = null)
{
    private readonly Func<string, string?> _environment = environment ?? Environment.GetEnvironmentVariable;

    public Option<string> Revision { get; } = new("--revision")
    {
        Description = "Hub branch, tag or commit to use",
        DefaultValueFactory = _ => "main",
        HelpName = "REV",
    };

    public Option<string?> Variant { get; } = new("--variant")
    {
        Description = "Which ONNX file of a Hub repo: fp32 (default), quantized, fp16, q4, int8, uint8, bnb4, … where the repo has it",
        HelpName = "NAME",
    };

    public Option<bool> Offline { get; } = new("--offline")
    {
        Description = "Use only models already in the cache; no network (also HF_HUB_OFFLINE=1)",
    };

    public Option<string?> CacheDir { get; } = new("--cache-dir")
    {
        Description = "Hugging Face hub cache folder (default: $HF_HUB_CACHE, else $HF_HOME/hub, else ~/.cache/huggingface/hub)",
        HelpName = "DIR",
    };

    public Option<bool> Quiet { get; } = new("--quiet")
    {
        Description = "Do not show download progress",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Revision);
        command.Options.Add(Variant);
        command.Options.Add(Offline);
        command.Options.Add(CacheDir);
        command.Options.Add(Quiet);
    }

    /// <summary>HF_* environment first, then the flags on top (a flag given wins; --offline only turns offline on).</summary>
    public HubSettings ToSettings(ParseResult parseResult)
    {
        var settings = HubEnvironment.Read(_environment);
        return settings with
        {
            Revision = parseResult.GetValue(Revision) is { Length: > 0 } revision ? revision : "main",
            Variant = parseResult.GetValue(Variant),
            Offline = settings.Offline || parseResult.GetValue(Offline),
            CacheDir = parseResult.GetValue(CacheDir) is { Length: > 0 } dir ? Path.GetFullPath(dir) : settings.CacheDir,
        };
    }

    public bool IsQuiet(ParseResult parseResult) => parseResult.GetValue(Quiet);

    /// <summary>
    /// The model for <paramref name="model"/> (a folder or a Hub id), downloading it with progress on stderr when needed.
    /// <paramref name="preferCache"/>: a complete cached snapshot is used without asking the Hub (the chat's fast start).
    /// Throws <see cref="GptChatException"/> with one line to print.
    /// </summary>
    public async Task<ResolvedModel> ResolveModelAsync(ParseResult parseResult, string model, CancellationToken cancellationToken, bool preferCache = true)
    {
        var settings = ToSettings(parseResult) with { PreferCache = preferCache };
        var error = parseResult.InvocationConfiguration.Error;
        if (Directory.Exists(model))
            return await ModelLocator.ResolveAsync(model, settings, null, cancellationToken); // a local folder: nothing to fetch
        using var interrupt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var watch = DownloadInterrupt.Watch(interrupt);
        try
        {
            return await DownloadProgressRenderer.RunAsync(error, DownloadProgressRenderer.ModeFor(error, IsQuiet(parseResult)),
                                                           progress => ModelLocator.ResolveAsync(model, settings, progress, interrupt.Token));
        }
        catch (OperationCanceledException) when (interrupt.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new GptChatException("interrupted: the download stopped (what was fetched is kept; run the command again to resume it)", exitCode: 130);
        }
    }
}

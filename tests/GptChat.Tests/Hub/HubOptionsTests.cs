using System.CommandLine;
using GptChat.Cli.Commands;

namespace GptChat.Tests.Hub;

public sealed class HubOptionsTests
{
    private static (HubOptions Options, ParseResult Parsed) Parse(Func<string, string?> environment, params string[] args)
    {
        var hub = new HubOptions(environment);
        var command = new RootCommand();
        hub.AddTo(command);
        return (hub, command.Parse(args));
    }

    [Fact]
    public void Flags_override_the_environment()
    {
        var (hub, parsed) = Parse(name => name switch { "HF_HUB_CACHE" => "/env/cache", "HF_TOKEN" => "hf_t", "HF_ENDPOINT" => "https://mirror.example", _ => null },
                                  "--revision", "v2", "--variant", "fp16", "--offline", "--cache-dir", "/flag/cache", "--quiet");

        var settings = hub.ToSettings(parsed);

        Assert.Empty(parsed.Errors);
        Assert.Equal("v2", settings.Revision);
        Assert.Equal("fp16", settings.Variant);
        Assert.True(settings.Offline);
        Assert.Equal(Path.GetFullPath("/flag/cache"), settings.CacheDir);
        Assert.Equal("hf_t", settings.Token);
        Assert.Equal("https://mirror.example", settings.Endpoint);
        Assert.True(hub.IsQuiet(parsed));
    }

    [Fact]
    public void Without_flags_the_environment_and_defaults_apply()
    {
        var (hub, parsed) = Parse(name => name switch { "HF_HOME" => "/h", "HF_HUB_OFFLINE" => "1", _ => null });

        var settings = hub.ToSettings(parsed);

        Assert.Equal("main", settings.Revision);
        Assert.Null(settings.Variant);
        Assert.True(settings.Offline);
        Assert.Equal(Path.Combine("/h", "hub"), settings.CacheDir);
        Assert.Equal("https://huggingface.co", settings.Endpoint);
        Assert.False(hub.IsQuiet(parsed));
    }
}

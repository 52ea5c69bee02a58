using GptChat.Hub;
using GptChat.Testing.Hub;

namespace GptChat.Core.Tests.Hub;

public sealed class HubEnvironmentTests
{
    private static Func<string, string?> Env(params (string Name, string Value)[] variables) =>
        name => variables.FirstOrDefault(v => v.Name == name).Value;

    [Fact]
    public void Hub_cache_wins_over_hf_home()
    {
        var settings = HubEnvironment.Read(Env(("HF_HUB_CACHE", "/c/hub"), ("HF_HOME", "/h")));
        Assert.Equal("/c/hub", settings.CacheDir);
    }

    [Fact]
    public void Hf_home_gives_its_hub_subfolder()
    {
        Assert.Equal(Path.Combine("/h", "hub"), HubEnvironment.DefaultCacheDir(Env(("HF_HOME", "/h"))));
    }

    [Fact]
    public void Without_variables_the_cache_is_under_the_home_cache_folder()
    {
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        Assert.Equal(Path.Combine(home, ".cache", "huggingface", "hub"), HubEnvironment.DefaultCacheDir(Env()));
    }

    [Fact]
    public void Endpoint_token_and_offline_are_read()
    {
        var settings = HubEnvironment.Read(Env(("HF_ENDPOINT", "http://127.0.0.1:9/"), ("HF_TOKEN", "hf_x"), ("HF_HUB_OFFLINE", "1")));

        Assert.Equal("http://127.0.0.1:9", settings.Endpoint);
        Assert.Equal("hf_x", settings.Token);
        Assert.True(settings.Offline);
    }

    [Fact]
    public void Defaults_are_the_public_hub_online()
    {
        using var home = new TempFolder();
        var settings = HubEnvironment.Read(Env(("HF_HOME", home.Path)));

        Assert.Equal("https://huggingface.co", settings.Endpoint);
        Assert.Null(settings.Token);
        Assert.False(settings.Offline);
    }

    [Fact]
    public void The_token_file_of_a_logged_in_python_user_is_read()
    {
        using var home = new TempFolder();
        File.WriteAllText(Path.Combine(home.Path, "token"), "hf_from_file\n");

        Assert.Equal("hf_from_file", HubEnvironment.Read(Env(("HF_HOME", home.Path))).Token);
    }

    [Theory]
    [InlineData("1", true)]
    [InlineData("true", true)]
    [InlineData("YES", true)]
    [InlineData("on", true)]
    [InlineData("0", false)]
    [InlineData("false", false)]
    [InlineData("", false)]
    public void Offline_switch_uses_huggingface_hub_spellings(string value, bool expected) => Assert.Equal(expected, HubEnvironment.IsTrue(value));
}

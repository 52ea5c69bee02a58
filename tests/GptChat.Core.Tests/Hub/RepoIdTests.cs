using GptChat.Hub;

namespace GptChat.Core.Tests.Hub;

public sealed class RepoIdTests
{
    [Theory]
    [InlineData("gpt2", "openai-community/gpt2", "models--openai-community--gpt2")]
    [InlineData("gpt2-medium", "openai-community/gpt2-medium", "models--openai-community--gpt2-medium")]
    [InlineData("distilgpt2", "distilbert/distilgpt2", "models--distilbert--distilgpt2")]
    [InlineData("microsoft/DialoGPT-small", "microsoft/DialoGPT-small", "models--microsoft--DialoGPT-small")]
    [InlineData("Xenova/gpt2", "Xenova/gpt2", "models--Xenova--gpt2")]
    [InlineData("org/name.v1_2", "org/name.v1_2", "models--org--name.v1_2")]
    public void Ids_and_aliases_map_to_their_cache_folders(string text, string id, string folder)
    {
        Assert.True(RepoId.TryParse(text, out var repo));
        Assert.Equal(id, repo.Value);
        Assert.Equal(folder, repo.CacheFolderName);
        Assert.Equal(id, RepoId.FromCacheFolderName(folder)!.Value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("../etc")]
    [InlineData("org/..")]
    [InlineData("org/na..me")]
    [InlineData("org--x/name")]
    [InlineData("a/b/c")]
    [InlineData("/abs")]
    [InlineData("org/name.git")]
    [InlineData("org/-name")]
    [InlineData("org/name with space")]
    [InlineData("org\\name")]
    public void Unsafe_or_malformed_ids_are_refused(string text) => Assert.False(RepoId.TryParse(text, out _));

    [Fact]
    public void Ids_longer_than_96_characters_are_refused()
    {
        Assert.True(RepoId.TryParse("o/" + new string('n', 94), out _));
        Assert.False(RepoId.TryParse("o/" + new string('n', 95), out _));
    }

    [Theory]
    [InlineData("datasets--x--y")]
    [InlineData("models--a--b--c")]
    [InlineData(".locks")]
    public void Folders_that_are_not_model_repos_are_not_listed(string folder) => Assert.Null(RepoId.FromCacheFolderName(folder));
}

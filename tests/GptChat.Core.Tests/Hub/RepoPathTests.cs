using GptChat.Hub;

namespace GptChat.Core.Tests.Hub;

public sealed class RepoPathTests
{
    [Theory]
    [InlineData("config.json")]
    [InlineData("onnx/model.onnx")]
    [InlineData("a/b/c.d")]
    public void Plain_relative_paths_are_safe(string path)
    {
        Assert.True(RepoPath.IsSafeRelative(path));
        Assert.StartsWith(Path.GetFullPath("/tmp/root") + Path.DirectorySeparatorChar, RepoPath.Under("/tmp/root", path));
    }

    [Theory]
    [InlineData("")]
    [InlineData("..")]
    [InlineData("../x")]
    [InlineData("onnx/../../x")]
    [InlineData("/etc/passwd")]
    [InlineData("a//b")]
    [InlineData("a/./b")]
    [InlineData("a\\..\\b")]
    [InlineData("C:/x")]
    [InlineData("a/b\n")]
    public void Escaping_or_odd_paths_are_refused(string path)
    {
        Assert.False(RepoPath.IsSafeRelative(path));
        Assert.Throws<GptChatException>(() => RepoPath.Under("/tmp/root", path));
    }

    [Theory]
    [InlineData("main", true)]
    [InlineData("v1.0", true)]
    [InlineData("refs/pr/1", true)]
    [InlineData("0123456789abcdef0123456789abcdef01234567", true)]
    [InlineData("../main", false)]
    [InlineData("/main", false)]
    [InlineData("ma in", false)]
    public void Revisions_are_checked_before_becoming_ref_paths(string revision, bool safe) =>
        Assert.Equal(safe, RepoPath.IsSafeRevision(revision));

    [Theory]
    [InlineData("0123456789abcdef0123456789abcdef01234567", true)]
    [InlineData("0123456789ABCDEF0123456789abcdef01234567", false)]
    [InlineData("0123456789abcdef", false)]
    public void Commit_hashes_are_40_lowercase_hex(string text, bool isCommit) => Assert.Equal(isCommit, RepoPath.IsCommitHash(text));

    [Theory]
    [InlineData("0123456789abcdef0123456789abcdef01234567", true)]
    [InlineData("../blob", false)]
    [InlineData("a/b", false)]
    [InlineData("", false)]
    public void Blob_names_are_plain_file_names(string name, bool safe) => Assert.Equal(safe, RepoPath.IsSafeBlobName(name));
}

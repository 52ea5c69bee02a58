using GptChat.Benchmarking;

namespace GptChat.Core.Tests.Benchmarking;

public sealed class TokenIdsHashTests
{
    // Expected values from the peers' convention, computed with Python: hashlib.md5(json.dumps(ids).encode()).hexdigest()[:8]
    [Theory]
    [InlineData(new[] { 1, 2, 3 }, "49a5a960")]
    [InlineData(new int[0], "d7517139")]
    [InlineData(new[] { 44332, 44332, 37352 }, "2b2564d2")]
    public void Matches_the_peers_md5_of_the_python_json_list(int[] ids, string expected) =>
        Assert.Equal(expected, TokenIdsHash.Md5Prefix(ids));
}

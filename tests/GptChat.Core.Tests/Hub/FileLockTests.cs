using GptChat.Hub;
using GptChat.Testing.Hub;

namespace GptChat.Core.Tests.Hub;

public sealed class FileLockTests
{
    [Fact]
    public async Task A_held_lock_keeps_others_waiting_until_released()
    {
        using var folder = new TempFolder();
        var path = Path.Combine(folder.Path, ".locks", "models--a--b", "blob.lock");

        var first = await FileLock.AcquireAsync(path, CancellationToken.None);
        using (var giveUp = new CancellationTokenSource(TimeSpan.FromMilliseconds(200)))
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => FileLock.AcquireAsync(path, giveUp.Token));
        var waiting = FileLock.AcquireAsync(path, CancellationToken.None);
        Assert.False(waiting.IsCompleted);

        first.Dispose();

        using var second = await waiting;
        Assert.True(File.Exists(path));
    }
}

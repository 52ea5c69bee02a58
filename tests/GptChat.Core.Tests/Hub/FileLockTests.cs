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

    [Fact]
    public async Task Shared_locks_run_side_by_side_and_keep_an_exclusive_one_out()
    {
        using var folder = new TempFolder();
        var path = Path.Combine(folder.Path, ".locks", "models--a--b", "_downloads.lock");
        using var giveUp = new CancellationTokenSource(TimeSpan.FromSeconds(30)); // only so that a broken lock fails instead of hanging

        var first = await FileLock.AcquireAsync(path, shared: true, giveUp.Token);
        using (await FileLock.AcquireAsync(path, shared: true, giveUp.Token))
            Assert.Null(await FileLock.TryAcquireAsync(path, TimeSpan.FromMilliseconds(50), CancellationToken.None));
        Assert.Null(await FileLock.TryAcquireAsync(path, TimeSpan.Zero, CancellationToken.None));
        first.Dispose();

        using var exclusive = await FileLock.TryAcquireAsync(path, TimeSpan.Zero, CancellationToken.None);
        Assert.NotNull(exclusive);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => FileLock.AcquireAsync(path, shared: true, new CancellationTokenSource(TimeSpan.FromMilliseconds(50)).Token));
    }
}

using GptChat.Hub;

namespace GptChat.Core.Tests.Hub;

public sealed class DiskErrorsTests
{
    [Fact]
    public void No_space_left_is_a_full_disk()
    {
        Assert.True(DiskErrors.IsDiskFull(new IOException("No space left on device : '/x'")));
        Assert.Equal(!OperatingSystem.IsWindows(), DiskErrors.IsDiskFull(new IOException("write failed", 28)));
    }

    [Fact]
    public void Other_io_errors_are_not()
    {
        Assert.False(DiskErrors.IsDiskFull(new IOException("The response ended prematurely")));
        Assert.False(DiskErrors.IsDiskFull(new IOException("Directory not empty", 39)));
    }
}

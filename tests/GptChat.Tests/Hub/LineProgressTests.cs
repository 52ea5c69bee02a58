using GptChat.Cli.Rendering;

namespace GptChat.Tests.Hub;

public sealed class LineProgressTests
{
    private sealed class ManualClock : TimeProvider
    {
        public long Ticks { get; set; }
        public override long TimestampFrequency => TimeSpan.TicksPerSecond;
        public override long GetTimestamp() => Ticks;
        public void Advance(TimeSpan by) => Ticks += by.Ticks;
    }

    [Fact]
    public void Lines_come_at_start_every_few_seconds_and_at_the_end()
    {
        var clock = new ManualClock();
        var output = new StringWriter();
        var progress = new LineProgress(output, clock);

        progress.Started("onnx/model.onnx", 10_000_000);
        progress.Advanced("onnx/model.onnx", 0);
        clock.Advance(TimeSpan.FromSeconds(1));
        progress.Advanced("onnx/model.onnx", 1_000_000); // too soon for a line
        clock.Advance(TimeSpan.FromSeconds(4));
        progress.Advanced("onnx/model.onnx", 5_000_000);
        progress.Finished("onnx/model.onnx");

        Assert.Equal(
            "gptchat: downloading onnx/model.onnx (10.0 MB)\n"
            + "gptchat: onnx/model.onnx: 5.0 MB of 10.0 MB (50%), 1.0 MB/s\n"
            + "gptchat: downloaded onnx/model.onnx (5.0 MB)\n",
            output.ToString().ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Speed_leaves_out_bytes_kept_from_a_cut_download()
    {
        var clock = new ManualClock();
        var output = new StringWriter();
        var progress = new LineProgress(output, clock);

        progress.Started("f", null);
        progress.Advanced("f", 4_000_000); // resumed here
        clock.Advance(TimeSpan.FromSeconds(5));
        progress.Advanced("f", 5_000_000);

        Assert.Contains("gptchat: f: 5.0 MB, 200.0 kB/s", output.ToString());
    }

    [Theory]
    [InlineData(0, "0 B")]
    [InlineData(999, "999 B")]
    [InlineData(1000, "1.0 kB")]
    [InlineData(6_923_094, "6.9 MB")]
    [InlineData(1_500_000_000, "1.5 GB")]
    public void Sizes_read_like_the_hub(long bytes, string text) => Assert.Equal(text, ByteSize.Format(bytes));
}

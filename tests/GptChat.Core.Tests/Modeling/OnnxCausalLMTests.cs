using GptChat.Modeling;

namespace GptChat.Core.Tests.Modeling;

public class OnnxCausalLMTests(TinyModelLayouts layouts) : IClassFixture<TinyModelLayouts>
{
    private const float Tolerance = 1e-4f;
    private const int Vocab = DecodeScript.Vocab;
    private static readonly int[] Prompt = DecodeScript.Prompt;

    [Theory]
    [MemberData(nameof(TinyModelLayouts.Names), MemberType = typeof(TinyModelLayouts))]
    public void Every_row_matches_a_full_recompute_of_its_sequence(string layout) =>
        DecodeScript.AssertMatchesRecompute(layouts[layout], layouts, Tolerance, layout);

    [Theory]
    [MemberData(nameof(TinyModelLayouts.Names), MemberType = typeof(TinyModelLayouts))]
    public void Broadcast_rows_with_the_same_token_are_equal_and_differ_from_other_tokens(string layout)
    {
        var model = layouts[layout];
        model.Prefill(Prompt);
        var logits = model.Decode([262, 262, 257], [0, 0, 0]).ToArray();
        var row0 = logits.AsSpan(0, Vocab).ToArray();
        Assert.Equal(row0, logits.AsSpan(Vocab, Vocab).ToArray());
        Assert.True(MaxDifference(row0, logits.AsSpan(2 * Vocab, Vocab).ToArray()) > 1e-2);
    }

    [Theory]
    [MemberData(nameof(TinyModelLayouts.Names), MemberType = typeof(TinyModelLayouts))]
    public void Prefill_starts_a_new_sequence(string layout)
    {
        var model = layouts[layout];
        model.Prefill([1, 2, 3, 4, 5, 6, 7, 8, 9]);
        model.Decode([1, 2], [0, 0]);
        model.Decode([3, 4], [1, 0]);

        var prefill = model.Prefill(Prompt).ToArray();
        AssertClose(layouts.ExpectedLogits(Prompt), prefill, "second prefill");
        var decoded = model.Decode([198], [0]).ToArray();
        AssertClose(layouts.ExpectedLogits([.. Prompt, 198]), decoded, "decode after second prefill");
    }

    [Theory]
    [MemberData(nameof(TinyModelLayouts.Names), MemberType = typeof(TinyModelLayouts))]
    public void Prompt_longer_than_the_context_is_rejected_before_running(string layout)
    {
        var model = layouts[layout];
        Assert.Equal(256, model.ContextLength);
        var e = Assert.Throws<GptChatException>(() => model.Prefill(Enumerable.Repeat(13, 257).ToArray()));
        Assert.Contains("256", e.Message);
        Assert.Contains("context", e.Message);
    }

    [Theory]
    [MemberData(nameof(TinyModelLayouts.Names), MemberType = typeof(TinyModelLayouts))]
    public void Decoding_fills_the_context_exactly_and_no_further(string layout)
    {
        var model = layouts[layout];
        var prompt = Enumerable.Range(0, 254).Select(i => 100 + i).ToArray();
        model.Prefill(prompt);
        model.Decode([1, 2], [0, 0]);
        var last = model.Decode([3, 4], [1, 0]).ToArray();
        AssertClose(layouts.ExpectedLogits([.. prompt, 2, 3]), last.AsSpan(0, Vocab).ToArray(), "256th token");

        var e = Assert.Throws<GptChatException>(() => model.Decode([5, 6], [0, 1]));
        Assert.Contains("context", e.Message);
        Assert.Contains("256", e.Message);
    }

    [Theory]
    [MemberData(nameof(TinyModelLayouts.Names), MemberType = typeof(TinyModelLayouts))]
    public void Bad_arguments_are_rejected_and_leave_the_sequence_intact(string layout)
    {
        var model = layouts[layout];
        model.Prefill(Prompt);
        model.Decode([11, 12], [0, 0]);

        Assert.Throws<ArgumentOutOfRangeException>(() => model.Decode([1, 2], [0, 2]));
        Assert.Throws<ArgumentOutOfRangeException>(() => model.Decode([1, 2], [-1, 0]));
        Assert.Throws<ArgumentException>(() => model.Decode([1, 2], [0]));
        Assert.Throws<ArgumentException>(() => model.Decode([], []));
        Assert.Throws<ArgumentOutOfRangeException>(() => model.Decode([Vocab, 2], [0, 1]));
        Assert.Throws<ArgumentOutOfRangeException>(() => model.Decode([-3, 2], [0, 1]));

        var logits = model.Decode([13], [1]).ToArray();
        AssertClose(layouts.ExpectedLogits([.. Prompt, 12, 13]), logits, "after rejected calls");
    }

    [Theory]
    [MemberData(nameof(TinyModelLayouts.Names), MemberType = typeof(TinyModelLayouts))]
    public void Empty_or_out_of_vocabulary_prompt_is_rejected(string layout)
    {
        var model = layouts[layout];
        Assert.Throws<ArgumentException>(() => model.Prefill([]));
        Assert.Throws<ArgumentOutOfRangeException>(() => model.Prefill([1, 50257]));
    }

    [Fact]
    public void Decode_needs_a_prefill()
    {
        using var model = OnnxCausalLM.Open(TestPaths.TinyModel, new ModelOpenOptions { IntraOpThreads = 1 });
        Assert.Throws<InvalidOperationException>(() => model.Decode([1], [0]));
    }

    [Theory]
    [MemberData(nameof(TinyModelLayouts.Names), MemberType = typeof(TinyModelLayouts))]
    public void Cancelled_token_stops_the_run_and_the_model_stays_usable(string layout)
    {
        var model = layouts[layout];
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => model.Prefill(Prompt, cancelled.Token));

        model.Prefill(Prompt);
        Assert.ThrowsAny<OperationCanceledException>(() => model.Decode([1], [0], cancelled.Token));
        Assert.Throws<InvalidOperationException>(() => model.Decode([1], [0]));

        AssertClose(layouts.ExpectedLogits(Prompt), model.Prefill(Prompt).ToArray(), "prefill after cancellation");
    }

    [Theory]
    [MemberData(nameof(TinyModelLayouts.Names), MemberType = typeof(TinyModelLayouts))]
    public void Cancelling_during_a_run_ends_in_cancellation_or_success_never_another_error(string layout)
    {
        var model = layouts[layout];
        var longPrompt = Enumerable.Range(0, 256).Select(i => 1000 + i).ToArray();
        for (var attempt = 0; attempt < 10; attempt++)
        {
            using var source = new CancellationTokenSource();
            var spins = attempt * 20_000;
            var canceller = new Thread(() =>
            {
                Thread.SpinWait(spins);
                source.Cancel();
            });
            canceller.Start();
            try
            {
                model.Prefill(longPrompt, source.Token);
            }
            catch (OperationCanceledException)
            {
            }
            canceller.Join();
            // The terminate flag must not leak into the next run.
            AssertClose(layouts.ExpectedLogits(Prompt), model.Prefill(Prompt).ToArray(), $"attempt {attempt}");
        }
    }

    [Fact]
    public void Dispose_is_idempotent_and_later_calls_fail()
    {
        var model = OnnxCausalLM.Open(TestPaths.TinyModel, new ModelOpenOptions { IntraOpThreads = 1 });
        model.Prefill(Prompt);
        model.Dispose();
        model.Dispose();
        Assert.Throws<ObjectDisposedException>(() => model.Prefill(Prompt));
    }

    private static void AssertClose(float[] expected, float[] actual, string what) =>
        DecodeScript.AssertClose(expected, actual, Tolerance, what);

    private static float MaxDifference(float[] a, float[] b) => DecodeScript.MaxDifference(a, b);
}

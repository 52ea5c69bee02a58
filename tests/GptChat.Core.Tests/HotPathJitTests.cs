using System.Collections.Concurrent;
using System.Diagnostics.Tracing;

namespace GptChat.Core.Tests;

public sealed class HotPathJitTests
{
    [Fact]
    public async Task Prepare_compiles_every_concrete_method_constructor_and_closure_before_any_call()
    {
        using var jit = new JitListener();
        jit.WaitUntilEnabled();

        var prepared = HotPathJit.Prepare([typeof(NeverCalled)]);

        // Two methods, one constructor, the closure class's constructor and lambda body; not the generic method.
        Assert.Equal(5, prepared);
        // The runtime reports compilations asynchronously: wait for them.
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!(jit.Compiled.Contains(nameof(NeverCalled.Twice)) && jit.Compiled.Contains(nameof(NeverCalled.AddTo))) && DateTime.UtcNow < deadline)
            await Task.Delay(50);
        Assert.Contains(nameof(NeverCalled.Twice), jit.Compiled);
        Assert.Contains(nameof(NeverCalled.AddTo), jit.Compiled);
        Assert.DoesNotContain(nameof(NeverCalled.Same), jit.Compiled);
    }

    [Fact]
    public void Prepare_skips_what_has_no_code_of_its_own()
    {
        Assert.Equal(0, HotPathJit.Prepare([typeof(IComparable), typeof(List<>)]));
    }

    [Fact]
    public async Task Start_runs_in_the_background_and_completes()
    {
        await HotPathJit.Start([typeof(Ready)]).WaitAsync(TimeSpan.FromMinutes(1));
    }

    private sealed class NeverCalled
    {
        private readonly int _seed = Environment.TickCount;

        public int Twice(int x) => 2 * x + _seed;

        public static Func<int, int> AddTo(int y) => x => x + y;

        public static T Same<T>(T value) => value;
    }

    private sealed class Ready
    {
        public static int One() => 1;
    }

    /// <summary>Collects the names of methods the JIT compiles in this process (runtime events, JIT keyword).</summary>
    private sealed class JitListener : EventListener
    {
        private const EventKeywords JitKeyword = (EventKeywords)0x10;
        private readonly ManualResetEventSlim _enabled = new();

        public ConcurrentBag<string> Compiled { get; } = [];

        public void WaitUntilEnabled() => Assert.True(_enabled.Wait(TimeSpan.FromSeconds(20)), "runtime events never enabled");

        protected override void OnEventSourceCreated(EventSource source)
        {
            if (source.Name != "Microsoft-Windows-DotNETRuntime")
                return;
            EnableEvents(source, EventLevel.Verbose, JitKeyword);
            _enabled.Set();
        }

        protected override void OnEventWritten(EventWrittenEventArgs e)
        {
            if (e.PayloadNames is null || !(e.EventName?.StartsWith("MethodJittingStarted", StringComparison.Ordinal) ?? false))
                return;
            var index = e.PayloadNames.IndexOf("MethodName");
            if (index >= 0 && e.Payload?[index] is string name)
                Compiled.Add(name);
        }
    }
}

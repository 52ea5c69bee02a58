using GptChat.Hub;
using Spectre.Console;

namespace GptChat.Cli.Rendering;

/// <summary>How download progress is shown.</summary>
internal enum ProgressMode
{
    /// <summary>--quiet: nothing.</summary>
    None,
    /// <summary>stderr is not a terminal (a log, a pipe): a line now and then.</summary>
    Lines,
    /// <summary>stderr is a terminal: live bars per file with bytes, speed and time left.</summary>
    Bars,
}

/// <summary>Shows download progress on stderr while a piece of work (that may download) runs.</summary>
internal static class DownloadProgressRenderer
{
    /// <summary>Bars only on the real, interactive stderr; lines on anything else (a redirected or test writer).</summary>
    public static ProgressMode ModeFor(TextWriter error, bool quiet) =>
        quiet ? ProgressMode.None
        : ReferenceEquals(error, Console.Error) && !Console.IsErrorRedirected ? ProgressMode.Bars
        : ProgressMode.Lines;

    public static async Task<T> RunAsync<T>(TextWriter error, ProgressMode mode, Func<IDownloadProgress?, Task<T>> work)
    {
        switch (mode)
        {
            case ProgressMode.None:
                return await work(null);
            case ProgressMode.Lines:
                return await work(new LineProgress(error, TimeProvider.System));
            default:
                return await RunWithBarsAsync(AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) }), work);
        }
    }

    /// <summary>Live bars on <paramref name="console"/>; they start only when a file starts downloading, so a cached model prints nothing.</summary>
    internal static async Task<T> RunWithBarsAsync<T>(IAnsiConsole console, Func<IDownloadProgress?, Task<T>> work)
    {
        var bars = new BarProgress(console);
        try
        {
            return await work(bars);
        }
        finally
        {
            await bars.StopAsync();
        }
    }

    /// <summary>Spectre.Console progress bars, one per file, started on the first download.</summary>
    private sealed class BarProgress(IAnsiConsole console) : IDownloadProgress
    {
        private readonly Dictionary<string, ProgressTask> _tasks = new(StringComparer.Ordinal);
        private readonly TaskCompletionSource<ProgressContext> _context = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private Task? _display;

        public void Started(string file, long? totalBytes)
        {
            _display ??= console.Progress()
                .AutoClear(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new DownloadedColumn(),
                         new TransferSpeedColumn(), new RemainingTimeColumn())
                .StartAsync(async context =>
                {
                    _context.TrySetResult(context);
                    await _done.Task;
                });
            var context = _context.Task.GetAwaiter().GetResult();
            lock (_tasks)
                _tasks[file] = context.AddTask(file, maxValue: totalBytes ?? 0) is var task && totalBytes is null ? task.IsIndeterminate() : task;
        }

        public void Advanced(string file, long bytesSoFar)
        {
            lock (_tasks)
                if (_tasks.TryGetValue(file, out var task))
                    task.Value = bytesSoFar;
        }

        public void Finished(string file)
        {
            lock (_tasks)
                if (_tasks.TryGetValue(file, out var task))
                {
                    if (task.IsIndeterminate)
                        task.IsIndeterminate(false).MaxValue = task.Value;
                    task.Value = task.MaxValue;
                    task.StopTask();
                }
        }

        public async Task StopAsync()
        {
            _done.TrySetResult();
            if (_display is not null)
                await _display;
        }
    }
}

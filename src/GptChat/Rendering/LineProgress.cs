using GptChat.Hub;

namespace GptChat.Cli.Rendering;

/// <summary>
/// Download progress as plain lines (for logs and pipes, where bars would be noise): one when a file starts, one every
/// few seconds while it downloads, one when it is done.
/// </summary>
internal sealed class LineProgress(TextWriter output, TimeProvider clock) : IDownloadProgress
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);
    private readonly Dictionary<string, FileState> _files = new(StringComparer.Ordinal);

    public void Started(string file, long? totalBytes)
    {
        lock (_files)
        {
            _files[file] = new FileState(totalBytes, clock.GetTimestamp());
            output.WriteLine($"gptchat: downloading {file}{(totalBytes is { } t ? $" ({ByteSize.Format(t)})" : "")}");
        }
    }

    public void Advanced(string file, long bytesSoFar)
    {
        lock (_files)
        {
            if (!_files.TryGetValue(file, out var state))
                return;
            state.StartBytes ??= bytesSoFar; // bytes kept from an earlier, cut download do not count towards the speed
            state.Bytes = bytesSoFar;
            var now = clock.GetTimestamp();
            if (clock.GetElapsedTime(state.LastLine, now) < Interval)
                return;
            state.LastLine = now;
            var seconds = clock.GetElapsedTime(state.Start, now).TotalSeconds;
            var speed = seconds > 0 ? (bytesSoFar - state.StartBytes.Value) / seconds : 0;
            var of = state.Total is { } total and > 0 ? $" of {ByteSize.Format(total)} ({100.0 * bytesSoFar / total:0}%)" : "";
            output.WriteLine($"gptchat: {file}: {ByteSize.Format(bytesSoFar)}{of}, {ByteSize.Format((long)speed)}/s");
        }
    }

    public void Finished(string file)
    {
        lock (_files)
        {
            _files.Remove(file, out var state);
            output.WriteLine($"gptchat: downloaded {file}{(state is not null ? $" ({ByteSize.Format(state.Bytes)})" : "")}");
        }
    }

    private sealed class FileState(long? total, long start)
    {
        public long? Total { get; } = total;
        public long Start { get; } = start;
        public long LastLine { get; set; } = start;
        public long? StartBytes { get; set; }
        public long Bytes { get; set; }
    }
}

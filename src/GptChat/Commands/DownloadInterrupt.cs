using System.Runtime.InteropServices;

namespace GptChat.Cli.Commands;

/// <summary>
/// Ctrl+C while a model is fetched cancels the fetch (progress bars close, the cursor comes back, the partial file is
/// kept for resuming) instead of killing the process mid-frame. At any other time it does nothing, so the chat's own
/// Ctrl+C handling and the default "terminate" stay as they are.
/// </summary>
/// <remarks>
/// One SIGINT registration for the whole process, made on first use and never removed: removing the last SIGINT
/// registration makes the runtime restore the signal's original handling, and a transient registration before the
/// interactive chat was seen to break the chat's Ctrl+C (its pseudo-terminal test failed 3 of 3 runs).
/// </remarks>
internal static class DownloadInterrupt
{
    private static readonly Lock Gate = new();
    private static PosixSignalRegistration? s_registration;
    private static CancellationTokenSource? s_current;

    /// <summary>Until the returned scope is disposed, Ctrl+C cancels <paramref name="fetch"/>.</summary>
    public static IDisposable Watch(CancellationTokenSource fetch)
    {
        lock (Gate)
        {
            s_registration ??= PosixSignalRegistration.Create(PosixSignal.SIGINT, OnInterrupt);
            s_current = fetch;
        }
        return new Scope(fetch);
    }

    private static void OnInterrupt(PosixSignalContext context)
    {
        lock (Gate)
        {
            if (s_current is not { } fetch)
                return;
            context.Cancel = true;
            fetch.Cancel();
        }
    }

    private sealed class Scope(CancellationTokenSource fetch) : IDisposable
    {
        public void Dispose()
        {
            lock (Gate)
                if (ReferenceEquals(s_current, fetch))
                    s_current = null;
        }
    }
}

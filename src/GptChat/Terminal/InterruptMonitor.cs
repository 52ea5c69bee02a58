using System.Runtime.InteropServices;

namespace GptChat.Cli.Terminal;

/// <summary>
/// Ctrl+C in the interactive chat: the first press stops the reply being generated (or, at the prompt, explains
/// how to quit); a second press within <see cref="Window"/> exits with 130.
/// </summary>
internal sealed class InterruptMonitor : IDisposable
{
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(2);

    private readonly PosixSignalRegistration _registration;
    private readonly Func<DateTime> _clock;
    private readonly Lock _lock = new();
    private DateTime? _last;
    private CancellationTokenSource? _reply;

    public InterruptMonitor(Action exit, Func<DateTime>? clock = null)
    {
        _clock = clock ?? (() => DateTime.UtcNow);
        // SIGINT arrives here while a reply is generated (at the prompt the editor reads Ctrl+C as a key).
        _registration = PosixSignalRegistration.Create(PosixSignal.SIGINT, context =>
        {
            context.Cancel = true;
            if (Press())
                exit();
        });
    }

    /// <summary>Counts a Ctrl+C; cancels the running reply; true when it is the second press within the window.</summary>
    public bool Press()
    {
        lock (_lock)
        {
            var now = _clock();
            var second = _last is DateTime last && now - last <= Window;
            _last = now;
            _reply?.Cancel();
            return second;
        }
    }

    /// <summary>Makes <paramref name="reply"/> the one a Ctrl+C cancels, until the returned scope is disposed.</summary>
    public IDisposable Guard(CancellationTokenSource reply)
    {
        lock (_lock)
            _reply = reply;
        return new Scope(this);
    }

    public void Dispose() => _registration.Dispose();

    private sealed class Scope(InterruptMonitor owner) : IDisposable
    {
        public void Dispose()
        {
            lock (owner._lock)
                owner._reply = null;
        }
    }
}

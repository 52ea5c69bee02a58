namespace GptChat.Cli.Terminal;

/// <summary>Where the line editor gets keys from: the console, or a script in tests.</summary>
internal interface IKeySource
{
    /// <summary>The next key, not echoed.</summary>
    ConsoleKeyInfo ReadKey();
}

/// <summary>
/// Keys from the terminal. While a line is read Ctrl+C must arrive as a key (not SIGINT) so the editor can handle
/// it in place: <see cref="ReadingLine"/> turns that on for the whole read, prompt drawing included, so a Ctrl+C
/// typed as soon as the prompt shows is never lost to the signal handler.
/// </summary>
internal sealed class ConsoleKeySource : IKeySource
{
    public ConsoleKeyInfo ReadKey() => Console.ReadKey(intercept: true);

    public static IDisposable ReadingLine()
    {
        Console.TreatControlCAsInput = true;
        return new Restore();
    }

    private sealed class Restore : IDisposable
    {
        public void Dispose() => Console.TreatControlCAsInput = false;
    }
}

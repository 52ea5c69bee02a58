namespace GptChat.Cli.Terminal;

/// <summary>Where the line editor gets keys from: the console, or a script in tests.</summary>
internal interface IKeySource
{
    /// <summary>The next key, not echoed.</summary>
    ConsoleKeyInfo ReadKey();
}

/// <summary>Keys from the terminal. Ctrl+C arrives as a key while reading (not as SIGINT) so the editor can handle it in place.</summary>
internal sealed class ConsoleKeySource : IKeySource
{
    public ConsoleKeyInfo ReadKey()
    {
        var previous = Console.TreatControlCAsInput;
        Console.TreatControlCAsInput = true;
        try
        {
            return Console.ReadKey(intercept: true);
        }
        finally
        {
            Console.TreatControlCAsInput = previous;
        }
    }
}

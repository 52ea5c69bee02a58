namespace GptChat.Cli.Terminal;

/// <summary>How wide the terminal is, so the line editor can follow a line that wraps onto more rows.</summary>
internal interface ITerminalSize
{
    /// <summary>The width in columns; 0 (or an exception) when it cannot be told.</summary>
    int Columns { get; }
}

/// <summary>
/// The console's width, read afresh each time: the user may resize the window between two keys, and .NET keeps
/// the value current (it re-reads it on SIGWINCH).
/// </summary>
internal sealed class ConsoleTerminalSize : ITerminalSize
{
    public int Columns => Console.WindowWidth;
}

namespace GptChat.Cli.Terminal;

/// <summary>How reading a line ended.</summary>
internal enum LineReadKind
{
    /// <summary>Enter: <see cref="LineRead.Text"/> holds the line.</summary>
    Line,
    /// <summary>Ctrl+D on an empty line, or the input ended.</summary>
    EndOfInput,
    /// <summary>Ctrl+C: the line was abandoned.</summary>
    Interrupt,
}

internal readonly record struct LineRead(LineReadKind Kind, string Text = "");

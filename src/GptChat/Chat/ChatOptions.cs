using GptChat.Chat;

namespace GptChat.Cli.Chat;

/// <summary>How stdin is read when it is not a terminal and there is no <c>--prompt</c>.</summary>
internal enum StdinMode { Lines, Whole }

/// <summary>Everything the root command's flags decide.</summary>
internal sealed record ChatOptions
{
    public required string Model { get; init; }
    public string? Prompt { get; init; }
    public bool Json { get; init; }
    public StdinMode Stdin { get; init; }
    public IReadOnlyList<StopPhrase> StopPhrases { get; init; } = [new(StopPhrase.Default)];
    public bool EchoPrompt { get; init; }
    public bool History { get; init; } = true;
    public bool Stats { get; init; }
    public bool Verbose { get; init; }
    public string? OnnxFile { get; init; }
    public int? Threads { get; init; }
    /// <summary>A pause before each decoding step (hidden flag for the terminal tests).</summary>
    public TimeSpan StepDelay { get; init; }
    public ReplySettings Reply { get; init; } = new();
}

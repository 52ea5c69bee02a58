namespace GptChat.Cli.Chat;

/// <summary>How long a reply took, for <c>--stats</c> and the JSON output.</summary>
/// <param name="Prompt">The prompt pass (prefill).</param>
/// <param name="FirstToken">From the start until the first token was final (for beam search, the first token all beams agreed on).</param>
/// <param name="Total">The whole reply.</param>
internal sealed record ReplyTimings(TimeSpan Prompt, TimeSpan FirstToken, TimeSpan Total, int PromptTokens, int GeneratedTokens)
{
    /// <summary>Generated tokens per second of decoding (after the prompt pass).</summary>
    public double TokensPerSecond
    {
        get
        {
            var decode = (Total - Prompt).TotalSeconds;
            return decode > 0 ? GeneratedTokens / decode : 0;
        }
    }

    public string Describe() =>
        $"first token {FirstToken.TotalMilliseconds:F0} ms · prompt {PromptTokens} tokens in {Prompt.TotalMilliseconds:F0} ms · " +
        $"{GeneratedTokens} tokens generated, {TokensPerSecond:F1} tokens/s · total {Total.TotalMilliseconds:F0} ms";
}

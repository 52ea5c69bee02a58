using GptChat.Generation;

namespace GptChat.Chat;

/// <summary>How many tokens one reply may and must have, as new-token counts the generator takes exactly.</summary>
/// <param name="Warning">A line for the user when the request could not be honoured as given, else null.</param>
public sealed record ReplyLength(int MaxNewTokens, int MinNewTokens, string? Warning = null)
{
    /// <summary>
    /// The app's default max_length (50) leaves at least this many new tokens even for a long line, where Hugging
    /// Face would refuse to generate; an explicit <c>--max-length</c> is honoured as given instead (floor 1, with a warning).
    /// </summary>
    public const int DefaultFloor = 20;

    /// <summary>
    /// Turns HF's length options into new-token counts for a user line of <paramref name="lineTokens"/> tokens.
    /// <c>max_new_tokens</c> wins over <c>max_length</c>; <c>max_length</c> and <c>min_length</c> count the user's
    /// line (which is the whole prompt in the plain format, so this is exactly HF there); conversation history and
    /// format scaffolding never eat into the reply.
    /// </summary>
    public static ReplyLength From(GenerationOptions options, bool maxLengthExplicit, int lineTokens)
    {
        var minNew = Math.Max(Math.Max(options.MinLength - lineTokens, 0), options.MinNewTokens ?? 0);
        if (options.MaxNewTokens is int maxNew)
            return new ReplyLength(maxNew, minNew);

        var room = options.MaxLength - lineTokens;
        if (!maxLengthExplicit)
            return new ReplyLength(Math.Max(room, DefaultFloor), minNew);
        if (room >= 1)
            return new ReplyLength(room, minNew);
        return new ReplyLength(1, minNew,
            $"the prompt has {lineTokens} tokens, not fewer than --max-length {options.MaxLength}: generating 1 token (use --max-new-tokens to ask for more)");
    }
}

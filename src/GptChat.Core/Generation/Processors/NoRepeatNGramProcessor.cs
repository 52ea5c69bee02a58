namespace GptChat.Generation.Processors;

/// <summary>
/// HF <c>NoRepeatNGramLogitsProcessor</c>: a token is banned (-inf) when it would complete an n-gram that
/// already occurs in the row, prompt included.
/// </summary>
/// <remarks>
/// Rescans the row at each step (O(row length × n)) instead of keeping HF's per-row n-gram dictionary:
/// rows are at most the context length (1024 for GPT-2), so the scan costs microseconds, needs no
/// per-beam table to copy when beams are reordered, and allocates nothing.
/// </remarks>
internal sealed class NoRepeatNGramProcessor(int ngramSize) : ILogitsProcessor
{
    public void Process(TokenRow row, Span<float> scores)
    {
        var n = ngramSize;
        var length = row.Length;
        if (length + 1 < n)
            return;

        // The last n-1 tokens are the prefix; every earlier window starting at `start` whose first
        // n-1 tokens equal it bans the window's last token.
        var prefixStart = length - (n - 1);
        for (var start = 0; start + n <= length; start++)
        {
            var matches = true;
            for (var j = 0; j < n - 1; j++)
            {
                if (row[start + j] != row[prefixStart + j])
                {
                    matches = false;
                    break;
                }
            }
            if (matches)
                scores[row[start + n - 1]] = float.NegativeInfinity;
        }
    }
}

namespace GptChat.Cli.Rendering;

/// <summary>
/// Text output of <c>--num-return-sequences N</c>: the best sequence streams as usual and the others follow, one
/// numbered line each ("1: …", "2: …", as the Hugging Face examples print them), so none of what the user asked
/// for is dropped. JSON output carries them all anyway; pipe mode keeps its one line per input (the best).
/// </summary>
internal static class ReturnedSequences
{
    /// <summary>The label before the best sequence when several are shown; empty otherwise.</summary>
    public static string FirstLabel(int requested) => requested > 1 ? "1: " : "";

    /// <summary>Writes sequences 2…N, each on a line of its own, displayed as the streamed best one is.</summary>
    /// <param name="output">Where the reply goes.</param>
    /// <param name="others">The decoded texts of the sequences after the best, best first.</param>
    /// <param name="echoedPrompt">The prompt printed before each sequence (<c>--echo-prompt</c>), or null.</param>
    public static void WriteOthers(TextWriter output, IEnumerable<string> others, string? echoedPrompt)
    {
        var number = 2;
        foreach (var text in others)
        {
            output.Write($"{number++}: ");
            if (echoedPrompt is not null)
                output.Write(echoedPrompt);
            new ReplyPrinter(output, keepLeadingWhitespace: echoedPrompt is not null).Write(text);
            output.WriteLine();
        }
        output.Flush();
    }
}

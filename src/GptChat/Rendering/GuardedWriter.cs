using System.Text;
using GptChat.Cli.Chat;

namespace GptChat.Cli.Rendering;

/// <summary>
/// A standard stream as the app writes it, with one rule for what a failed write means:
/// <see cref="Stdout"/> turns it into <see cref="OutputClosedException"/> when the reader of a pipe has gone (the app
/// ends quietly: <c>gptchat &lt; file | head -1</c>) or into a <see cref="GptChatException"/> naming the cause (disk
/// full, I/O error), so a lost reply is never silent and never a stack trace; <see cref="BestEffort"/> (stderr) drops
/// it, since a full, closed or unwritable stderr must cost neither the replies nor the exit code.
/// </summary>
internal sealed class GuardedWriter : TextWriter
{
    private readonly TextWriter _inner;
    private readonly Func<Exception, Exception?> _onFailure;

    /// <param name="inner">Where the text goes.</param>
    /// <param name="onFailure">The exception to throw for a failed write (the same one to rethrow it), or null to go on.</param>
    private GuardedWriter(TextWriter inner, Func<Exception, Exception?> onFailure)
    {
        _inner = inner;
        _onFailure = onFailure;
    }

    /// <param name="toPipe">True when <paramref name="inner"/> writes to a pipe: then any write error means the reader left.</param>
    public static GuardedWriter Stdout(TextWriter inner, bool toPipe) => new(inner, e => e switch
    {
        IOException io when toPipe => new OutputClosedException(io),
        IOException io => new GptChatException($"cannot write to standard output: {io.Message}"),
        _ => e,
    });

    /// <summary>Nowhere to say it when stderr fails: the exit code still tells.</summary>
    public static GuardedWriter BestEffort(TextWriter inner) => new(inner, _ => null);

    public override Encoding Encoding => _inner.Encoding;

    public override void Write(char value) => Guard(() => _inner.Write(value));
    public override void Write(string? value) => Guard(() => _inner.Write(value));
    public override void Write(char[] buffer, int index, int count) => Guard(() => _inner.Write(buffer, index, count));
    public override void WriteLine(string? value) => Guard(() => _inner.WriteLine(value));
    public override void Flush() => Guard(_inner.Flush);

    private void Guard(Action write)
    {
        try
        {
            write();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            var replacement = _onFailure(e);
            if (ReferenceEquals(replacement, e))
                throw;
            if (replacement is not null)
                throw replacement;
        }
    }
}

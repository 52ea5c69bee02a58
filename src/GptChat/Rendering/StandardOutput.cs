using System.IO.Pipes;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace GptChat.Cli.Rendering;

/// <summary>
/// The commands' stdout. When it is a pipe the app writes through a pipe stream of its own: <see cref="Console.Out"/>
/// pretends a write to a closed pipe succeeded, so <c>yes | gptchat | head -1</c> would go on generating replies
/// for a reader that has gone, for ever.
/// </summary>
internal static class StandardOutput
{
    public static TextWriter Open()
    {
        if (Console.IsOutputRedirected && OpenPipe() is { } pipe)
            return GuardedWriter.Stdout(pipe, toPipe: true);
        return GuardedWriter.Stdout(Console.Out, toPipe: false);
    }

    private static TextWriter? OpenPipe()
    {
        try
        {
            var stream = new AnonymousPipeClientStream(PipeDirection.Out, new SafePipeHandle(1, ownsHandle: false));
            // AutoFlush: replies stream token by token and pipe mode is a co-process, exactly as through Console.Out.
            var writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false)) { AutoFlush = true };
            return TextWriter.Synchronized(writer);
        }
        catch (IOException)
        {
            return null; // a file, /dev/null or a socket: Console.Out reports its errors
        }
    }
}

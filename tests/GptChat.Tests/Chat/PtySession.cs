using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace GptChat.Tests.Chat;

/// <summary>
/// Runs gptchat on a real pseudo-terminal through util-linux <c>script</c>, so the app sees a terminal on
/// stdin/stdout/stderr exactly as a user's shell gives it: keys are written to the pty, Ctrl+C (0x03) goes
/// through the terminal's line discipline, and everything the app draws is collected for assertions.
/// </summary>
internal sealed class PtySession : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _screen = new();
    private readonly Lock _lock = new();
    private readonly Task _reader;
    private int _mark;

    public PtySession(string stateHome, params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "gptchat.dll");
        // exec: script runs the command through $SHELL (or /bin/sh, which is dash on Debian and does not exec a
        // -c command itself). A shell left in between gets the terminal's SIGINT too, dies of it, and script then
        // reports the shell's 130 instead of gptchat's own exit code.
        var command = "exec " + string.Join(' ', new[] { "dotnet", dll }.Concat(args).Select(Quote));
        var start = new ProcessStartInfo("script")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var a in new[] { "-q", "-f", "-e", "-c", command, "/dev/null" })
            start.ArgumentList.Add(a);
        start.Environment["TERM"] = "xterm";
        start.Environment["NO_COLOR"] = "1";
        start.Environment["XDG_STATE_HOME"] = stateHome;
        _process = Process.Start(start) ?? throw new InvalidOperationException("could not start script");
        _reader = Task.Run(ReadAll);
    }

    /// <summary>Everything shown so far.</summary>
    public string Screen
    {
        get
        {
            lock (_lock)
                return _screen.ToString();
        }
    }

    /// <summary>Types text on the terminal (use "\r" for Enter, "\u0003" for Ctrl+C).</summary>
    public void Type(string keys)
    {
        var bytes = Encoding.UTF8.GetBytes(keys);
        _process.StandardInput.BaseStream.Write(bytes);
        _process.StandardInput.BaseStream.Flush();
    }

    /// <summary>
    /// Waits until the output after the last match contains <paramref name="pattern"/> (a regex); returns the
    /// match and moves past it, so each wait looks only at what came later.
    /// </summary>
    public Match WaitFor(string pattern, int seconds = 60)
    {
        var regex = new Regex(pattern);
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var screen = Screen;
            var match = regex.Match(screen, _mark);
            if (match.Success)
            {
                _mark = match.Index + match.Length;
                return match;
            }
            if (DateTime.UtcNow > deadline || _process.HasExited && _reader.IsCompleted && !regex.IsMatch(Screen, _mark))
                throw new TimeoutException($"'{pattern}' did not appear; the terminal showed:\n{screen}");
            Thread.Sleep(20);
        }
    }

    /// <summary>Waits for the app to end and returns its exit code.</summary>
    public int WaitForExit(int seconds = 60)
    {
        if (!_process.WaitForExit(TimeSpan.FromSeconds(seconds)))
            throw new TimeoutException($"gptchat did not exit; the terminal showed:\n{Screen}");
        _reader.Wait(TimeSpan.FromSeconds(10));
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
            _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }

    private async Task ReadAll()
    {
        var decoder = Encoding.UTF8.GetDecoder();
        var bytes = new byte[4096];
        var chars = new char[Encoding.UTF8.GetMaxCharCount(bytes.Length)];
        var stream = _process.StandardOutput.BaseStream;
        int n;
        while ((n = await stream.ReadAsync(bytes)) > 0)
        {
            var count = decoder.GetChars(bytes, 0, n, chars, 0);
            lock (_lock)
                _screen.Append(chars, 0, count);
        }
    }

    private static string Quote(string arg) => "'" + arg.Replace("'", "'\\''") + "'";
}

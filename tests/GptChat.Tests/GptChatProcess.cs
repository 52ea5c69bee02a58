using System.Diagnostics;
using System.Text;

namespace GptChat.Tests;

/// <summary>What a finished gptchat process printed and returned.</summary>
internal sealed record GptChatRun(int ExitCode, string StdOut, string StdErr);

/// <summary>Runs the built gptchat (gptchat.dll next to the tests, through <c>dotnet</c>) as a user would.</summary>
internal static class GptChatProcess
{
    private static string AppDll => Path.Combine(AppContext.BaseDirectory, "gptchat.dll");

    /// <param name="environment">Variables to set (or, with a null value, remove) for the process.</param>
    public static Task<GptChatRun> RunAsync(IEnumerable<string> args, string? stdin = null, TimeSpan? timeout = null,
                                            IReadOnlyDictionary<string, string?>? environment = null) =>
        RunAsync(args, stdin is null ? null : new UTF8Encoding(false).GetBytes(stdin), timeout, environment);

    /// <summary>Runs with raw bytes on stdin (e.g. invalid UTF-8).</summary>
    public static async Task<GptChatRun> RunAsync(IEnumerable<string> args, byte[]? stdin, TimeSpan? timeout = null,
                                                  IReadOnlyDictionary<string, string?>? environment = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardInputEncoding = new UTF8Encoding(false),
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        // Keep test runs away from the user's real history file and colours (unless a test says otherwise).
        start.Environment["XDG_STATE_HOME"] = Path.Combine(Path.GetTempPath(), "gptchat-tests-state");
        start.Environment["NO_COLOR"] = "1";
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
            if (value is null)
                start.Environment.Remove(name);
            else
                start.Environment[name] = value;
        start.ArgumentList.Add(AppDll);
        foreach (var arg in args)
            start.ArgumentList.Add(arg);

        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            if (stdin is not null)
                await process.StandardInput.BaseStream.WriteAsync(stdin);
            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The app may stop reading early (a stop phrase): the rest of stdin is not needed.
        }

        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"gptchat {string.Join(' ', args)} did not finish in time");
        }
        return new GptChatRun(process.ExitCode, await stdout, await stderr);
    }
}

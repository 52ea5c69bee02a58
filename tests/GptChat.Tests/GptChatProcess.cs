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
    public static async Task<GptChatRun> RunAsync(IEnumerable<string> args, string? stdin = null, TimeSpan? timeout = null,
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
        if (stdin is not null)
            await process.StandardInput.WriteAsync(stdin);
        process.StandardInput.Close();

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

using System.Diagnostics;

namespace GptChat.Tests.Chat;

/// <summary>Runs gptchat inside a bash script, for what only a shell sets up: pipes to head, /dev/full, a closed stdin.</summary>
internal static class ShellRuns
{
    /// <summary>The built app, for scripts to run as <c>dotnet "$0" …</c>.</summary>
    public static readonly string Dll = Path.Combine(AppContext.BaseDirectory, "gptchat.dll");

    /// <summary>Runs gptchat with <paramref name="args"/> (MODEL stands for the tiny model) and a shell redirection such as <c>&lt;&amp;-</c>.</summary>
    public static Task<ShellRun> GptChatAsync(string redirection, params string[] args) =>
        ShellAsync($"dotnet \"$0\" \"$@\" {redirection}", [Dll, .. args.Select(a => a == "MODEL" ? TestPaths.TinyModel : a)]);

    public sealed record ShellRun(int ExitCode, string StdOut, string StdErr);

    /// <summary>Runs a bash script ($0, $1, … are <paramref name="args"/>) with stdout and stderr captured.</summary>
    public static async Task<ShellRun> ShellAsync(string script, params string[] args)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        foreach (var a in args)
            start.ArgumentList.Add(a);
        start.Environment["NO_COLOR"] = "1";
        // `models` lists an empty cache ("No models in the cache at …" on stdout), the same on every machine.
        start.Environment["HF_HUB_CACHE"] = Path.Combine(Path.GetTempPath(), "gptchat-stdout-tests-" + Guid.NewGuid().ToString("N"));

        using var process = Process.Start(start)!;
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        try
        {
            var stdout = process.StandardOutput.ReadToEndAsync(limit.Token);
            var stderr = process.StandardError.ReadToEndAsync(limit.Token);
            await process.WaitForExitAsync(limit.Token);
            return new ShellRun(process.ExitCode, await stdout, await stderr);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"still running after 120 s: {script}");
        }
    }
}

using System.Text.Json;

namespace GptChat.Tests.Chat;

/// <summary>Helpers for the chat process tests: the tiny model's arguments and JSON reading.</summary>
internal static class ChatRuns
{
    public static string[] Tiny(params string[] more) => ["--model", TestPaths.TinyModel, .. more];

    public static Task<GptChatRun> RunAsync(string[] args, string? stdin = null) =>
        GptChatProcess.RunAsync(args, stdin, TimeSpan.FromSeconds(120));

    /// <summary>The generated ids of each returned sequence in a reply's JSON.</summary>
    public static int[][] SequenceIds(JsonElement reply) =>
        [.. reply.GetProperty("sequences").EnumerateArray().Select(s => s.GetProperty("ids").EnumerateArray().Select(i => i.GetInt32()).ToArray())];

    public static int[] PromptIds(JsonElement reply) =>
        [.. reply.GetProperty("prompt_ids").EnumerateArray().Select(i => i.GetInt32())];

    public static JsonElement ParseLine(string line) => JsonDocument.Parse(line).RootElement;

    public static string[] Lines(string stdout) =>
        stdout.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0).ToArray();

    /// <summary>True when the text looks like a .NET stack trace.</summary>
    public static bool HasStackTrace(string text) =>
        text.Contains("   at ", StringComparison.Ordinal) || text.Contains("Exception:", StringComparison.Ordinal);
}

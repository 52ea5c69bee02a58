using System.Text;

namespace GptChat.Cli.Terminal;

/// <summary>
/// The interactive input history, one line per entry, in <c>$XDG_STATE_HOME/gptchat/history</c> (else
/// <c>~/.local/state/gptchat/history</c>). Each line is appended as it is entered, so nothing is lost on a crash;
/// a history that cannot be read or written is warned about once and the chat goes on without it.
/// </summary>
internal sealed class HistoryFile
{
    private const int MaxEntries = 1000;
    private readonly string _path;
    private readonly Action<string> _warn;
    private bool _broken;

    private HistoryFile(string path, Action<string> warn)
    {
        _path = path;
        _warn = warn;
    }

    public List<string> Entries { get; } = [];

    public static string DefaultPath()
    {
        var state = Environment.GetEnvironmentVariable("XDG_STATE_HOME");
        if (string.IsNullOrEmpty(state))
            state = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "state");
        return Path.Combine(state, "gptchat", "history");
    }

    public static HistoryFile Open(string path, Action<string> warn)
    {
        var file = new HistoryFile(path, warn);
        try
        {
            if (File.Exists(path))
                file.Entries.AddRange(ReadUtf8Lines(path).Where(l => l.Length > 0).TakeLast(MaxEntries));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            file.Fail(e);
        }
        return file;
    }

    /// <summary>Remembers a line (not a repeat of the one before) in memory and on disk.</summary>
    public void Add(string line)
    {
        if (line.Length == 0 || line.Contains('\n') || (Entries.Count > 0 && Entries[^1] == line))
            return;
        Entries.Add(line);
        if (_broken)
            return;
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
            File.AppendAllText(_path, line + "\n");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Fail(e);
        }
    }

    private void Fail(Exception e)
    {
        _broken = true;
        _warn($"input history disabled: {_path}: {e.Message}");
    }

    /// <summary>The file's lines as UTF-8, the way they are written: bytes FF FE at the start must not make it UTF-16.</summary>
    private static IEnumerable<string> ReadUtf8Lines(string path)
    {
        using var reader = new StreamReader(path, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: false);
        var first = true;
        while (reader.ReadLine() is { } line)
        {
            yield return first ? line.TrimStart('\uFEFF') : line;
            first = false;
        }
    }
}

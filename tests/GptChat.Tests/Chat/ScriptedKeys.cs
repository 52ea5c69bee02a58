using GptChat.Cli.Terminal;

namespace GptChat.Tests.Chat;

/// <summary>
/// Keys for the line editor from a script, and helpers to write one. When the script runs out, reading ends the
/// way a closed terminal does, so the editor returns and its drawing so far can be inspected.
/// </summary>
internal sealed class ScriptedKeys(params ConsoleKeyInfo[] keys) : IKeySource
{
    private readonly Queue<ConsoleKeyInfo> _keys = new(keys);

    public ConsoleKeyInfo ReadKey() => _keys.Count > 0 ? _keys.Dequeue() : throw new InvalidOperationException("no more keys");

    public static ConsoleKeyInfo Char(char c) => new(c, ConsoleKey.NoName, false, false, false);
    public static ConsoleKeyInfo Key(ConsoleKey key) => new('\0', key, false, false, false);
    public static ConsoleKeyInfo Ctrl(ConsoleKey key) => new((char)(key - ConsoleKey.A + 1), key, false, false, true);
    public static ConsoleKeyInfo Enter => new('\r', ConsoleKey.Enter, false, false, false);
    public static IEnumerable<ConsoleKeyInfo> Text(string s) => s.Select(Char);
    public static IEnumerable<ConsoleKeyInfo> Times(int n, ConsoleKey key) => Enumerable.Repeat(Key(key), n);
}

using System.Text;

namespace GptChat.Chat;

/// <summary>
/// A phrase that ends the chat when the user's line (or a reply) equals it. Matching ignores surrounding
/// whitespace and treats full-width and ASCII punctuation alike, so <c>好的，谢谢！</c> matches <c>好的,谢谢!</c>.
/// </summary>
public sealed class StopPhrase
{
    /// <summary>The reference program's stop phrase.</summary>
    public const string Default = "好的,谢谢!";

    private readonly string _normalized;

    public StopPhrase(string text) => _normalized = Normalize(text);

    public bool Matches(string line) => _normalized.Length > 0 && Normalize(line) == _normalized;

    /// <summary>True when <paramref name="line"/> matches any of <paramref name="phrases"/>.</summary>
    public static bool MatchesAny(IEnumerable<StopPhrase> phrases, string line) => phrases.Any(p => p.Matches(line));

    /// <summary>Trims, folds full-width forms (U+FF01–U+FF5E, ideographic space) and CJK punctuation to ASCII, collapses inner whitespace.</summary>
    internal static string Normalize(string text)
    {
        var sb = new StringBuilder(text.Length);
        var pendingSpace = false;
        foreach (var raw in text)
        {
            var c = Fold(raw);
            if (char.IsWhiteSpace(c))
            {
                pendingSpace = sb.Length > 0;
                continue;
            }
            if (pendingSpace)
                sb.Append(' ');
            pendingSpace = false;
            sb.Append(c);
        }
        return sb.ToString();
    }

    private static char Fold(char c) => c switch
    {
        >= '\uFF01' and <= '\uFF5E' => (char)(c - 0xFEE0),
        '\u3000' => ' ',
        '\u3002' => '.',   // 。
        '\u3001' => ',',   // 、
        '\u201C' or '\u201D' => '"',
        '\u2018' or '\u2019' => '\'',
        _ => c,
    };
}

using System.Text;

namespace GptChat.Cli.Rendering;

/// <summary>
/// Keeps a reply on one line for pipe mode, so output line N answers input line N: backslash, CR and LF
/// become <c>\\</c>, <c>\r</c> and <c>\n</c> (reversible).
/// </summary>
internal static class LineEscaper
{
    public static string Escape(string text)
    {
        if (text.AsSpan().IndexOfAny('\\', '\n', '\r') < 0)
            return text;
        var sb = new StringBuilder(text.Length + 8);
        foreach (var c in text)
            sb.Append(c switch
            {
                '\\' => @"\\",
                '\n' => @"\n",
                '\r' => @"\r",
                _ => c.ToString(),
            });
        return sb.ToString();
    }
}

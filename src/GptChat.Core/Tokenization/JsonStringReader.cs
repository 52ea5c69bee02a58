using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace GptChat.Tokenization;

/// <summary>
/// Reads a JSON string value exactly as JavaScript would, lone surrogate escapes (<c>"\ud800"</c>) included.
/// </summary>
/// <remarks>
/// <see cref="Utf8JsonReader.GetString"/> refuses lone surrogates, yet JSON allows them and tokenizer inputs
/// (and the golden fixtures) contain them; the tokenizer then encodes each as U+FFFD.
/// </remarks>
internal static class JsonStringReader
{
    /// <summary>The current token's string value; the reader must be on a <see cref="JsonTokenType.String"/>.</summary>
    public static string Read(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.String)
            throw new InvalidOperationException($"expected a JSON string, found {reader.TokenType}");
        var raw = reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan;
        return reader.ValueIsEscaped ? Unescape(raw) : Encoding.UTF8.GetString(raw);
    }

    /// <summary>The text of a string literal's body (the bytes between the quotes), already checked by the reader.</summary>
    private static string Unescape(ReadOnlySpan<byte> raw)
    {
        var text = new StringBuilder(raw.Length);
        while (!raw.IsEmpty)
        {
            int backslash = raw.IndexOf((byte)'\\');
            if (backslash < 0)
            {
                text.Append(Encoding.UTF8.GetString(raw));
                break;
            }
            text.Append(Encoding.UTF8.GetString(raw[..backslash]));
            byte kind = raw[backslash + 1];
            if (kind == 'u')
            {
                // A UTF-16 code unit; surrogate halves are appended one by one, so pairs join and lone ones stay.
                var hex = Encoding.ASCII.GetString(raw.Slice(backslash + 2, 4));
                text.Append((char)ushort.Parse(hex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture));
                raw = raw[(backslash + 6)..];
                continue;
            }
            text.Append(kind switch
            {
                (byte)'b' => '\b',
                (byte)'f' => '\f',
                (byte)'n' => '\n',
                (byte)'r' => '\r',
                (byte)'t' => '\t',
                _ => (char)kind, // " \ /
            });
            raw = raw[(backslash + 2)..];
        }
        return text.ToString();
    }
}

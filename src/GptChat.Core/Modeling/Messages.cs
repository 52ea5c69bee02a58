namespace GptChat.Modeling;

/// <summary>Helpers that keep user-facing errors to one line.</summary>
internal static class Messages
{
    /// <summary>The first line of a (possibly multi-line) library message, e.g. ONNX Runtime's.</summary>
    public static string FirstLine(string message)
    {
        var end = message.IndexOfAny(['\r', '\n']);
        return (end < 0 ? message : message[..end]).Trim();
    }
}

using GptChat.Cli.Terminal;
using System.CommandLine;
using System.Text;
using System.Text.Json;
using GptChat.Tokenization;

namespace GptChat.Cli.Commands;

/// <summary>
/// <c>gptchat tokenize "text"</c> prints the GPT-2 token ids of the text; <c>gptchat tokenize --jsonl</c> turns
/// <c>{"id":…,"text":…}</c> lines on stdin into <c>{"id":…,"ids":[…]}</c> lines on stdout, one per line, in order.
/// </summary>
/// <remarks>
/// Exit codes: 0 done; 1 a runtime error, including a stdin line that is not such an object (the lines before
/// it have been answered); 2 a usage error (TEXT and --jsonl together or neither, a missing --model folder).
/// </remarks>
internal static class TokenizeCommand
{
    public static Command Create()
    {
        var text = new Argument<string?>("text")
        {
            Description = "The text to tokenize",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var jsonl = new Option<bool>("--jsonl")
        {
            Description = "Read {\"id\":…,\"text\":…} lines on stdin and write {\"id\":…,\"ids\":[…]} lines on stdout "
                + "(a line that is not such an object stops with exit code 1)",
        };
        var model = new Option<string?>("--model", "-m")
        {
            Description = "Model folder whose vocab.json and merges.txt to use (default: the built-in GPT-2 vocabulary)",
            HelpName = "DIR",
        };
        var command = new Command("tokenize", "Print the GPT-2 token ids of a text") { text, jsonl, model };
        command.SetAction(parseResult => CommandErrors.RunAsync(parseResult.InvocationConfiguration.Error, () =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var textValue = parseResult.GetValue(text);
            bool jsonlValue = parseResult.GetValue(jsonl);
            if (textValue is not null && jsonlValue)
                throw new GptChatException("tokenize takes a TEXT or --jsonl, not both", exitCode: 2);
            if (textValue is null && !jsonlValue)
                throw new GptChatException("tokenize needs a TEXT, or --jsonl to read JSON lines on stdin", exitCode: 2);

            var tokenizer = Gpt2Tokenizer.Load(parseResult.GetValue(model));
            if (jsonlValue)
            {
                if (ClosedAtStart.Descriptor(ClosedAtStart.Stdin))
                    throw ClosedAtStart.StdinError();
                using var input = new StreamReader(Console.OpenStandardInput(), new UTF8Encoding(false));
                RunJsonl(tokenizer, input, output);
            }
            else
            {
                output.WriteLine(string.Join(' ', tokenizer.Encode(textValue!)));
            }
            return Task.FromResult(0);
        }));
        return command;
    }

    private static string? ReadLine(TextReader input)
    {
        try
        {
            return input.ReadLine();
        }
        catch (IOException e)
        {
            throw Utf8LineReader.ReadFailed(e);
        }
    }

    /// <summary>Answers each JSON line as soon as it is read (flushing), so a caller can stream lines through.</summary>
    internal static void RunJsonl(Gpt2Tokenizer tokenizer, TextReader input, TextWriter output)
    {
        var answer = new StringBuilder();
        int lineNumber = 0;
        while (ReadLine(input) is { } line)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
                continue; // blank lines (e.g. a trailing newline) are not requests

            var (id, text) = ParseRequest(line, lineNumber);
            answer.Clear().Append("{\"id\":").Append(id).Append(",\"ids\":[");
            var ids = tokenizer.Encode(text);
            for (int i = 0; i < ids.Count; i++)
                (i == 0 ? answer : answer.Append(',')).Append(ids[i]);
            answer.Append("]}");
            output.WriteLine(answer);
            output.Flush();
        }
    }

    /// <summary>The request's id, as JSON to echo verbatim, and its text (lone surrogate escapes kept).</summary>
    private static (string IdJson, string Text) ParseRequest(string line, int lineNumber)
    {
        string? idJson = null, text = null;
        try
        {
            var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(line));
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                throw Bad(lineNumber, "not a JSON object");
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString();
                reader.Read();
                switch (name)
                {
                    case "id" when reader.TokenType == JsonTokenType.Number:
                        idJson = Encoding.UTF8.GetString(reader.ValueSpan);
                        break;
                    case "id" when reader.TokenType == JsonTokenType.String:
                        idJson = "\"" + Encoding.UTF8.GetString(reader.ValueSpan) + "\""; // still escaped: valid JSON
                        break;
                    case "id":
                        throw Bad(lineNumber, "\"id\" must be a number or a string");
                    case "text" when reader.TokenType == JsonTokenType.String:
                        text = JsonStringReader.Read(ref reader);
                        break;
                    case "text":
                        throw Bad(lineNumber, "\"text\" must be a string");
                    default:
                        reader.Skip();
                        break;
                }
            }
            if (reader.Read())
                throw Bad(lineNumber, "more than one JSON value");
        }
        catch (JsonException e)
        {
            throw Bad(lineNumber, $"invalid JSON ({e.Message})");
        }
        if (idJson is null || text is null)
            throw Bad(lineNumber, $"missing \"{(idJson is null ? "id" : "text")}\"");
        return (idJson, text);
    }

    private static GptChatException Bad(int lineNumber, string reason) =>
        new($"tokenize --jsonl: stdin line {lineNumber}: {reason}; expected {{\"id\":…,\"text\":\"…\"}}");
}

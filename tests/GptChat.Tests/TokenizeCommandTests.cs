using System.Text;
using GptChat.Cli.Commands;
using GptChat.Tokenization;

namespace GptChat.Tests;

/// <summary><c>gptchat tokenize</c>, in process (the JSONL loop) and as a real process.</summary>
public sealed class TokenizeCommandTests
{
    // ids of OpenAI's GPT-2 encoder (tests/GptChat.Core.Tests/Fixtures/gpt2-public.jsonl)
    private const string HelloWorldIds = "15496 995";                    // "Hello world"
    private const string EndOfTextAsTextIds = "27,91,437,1659,5239,91,29"; // "<|endoftext|>" typed as text
    private const string LoneSurrogateIds = "397,4210,10210";           // "ab\ud800cd"

    [Fact]
    public void Jsonl_answers_each_line_in_order_echoing_the_id()
    {
        var input = "{\"id\":1,\"text\":\"Hello world\"}\n"
                  + "\n"
                  + "{\"text\":\"<|endoftext|>\",\"id\":\"b\\u00e9\",\"extra\":[1,{\"x\":2}]}\n"
                  + "{\"id\":3,\"text\":\"ab\\ud800cd\"}\n"
                  + "{\"id\":4,\"text\":\"\"}\n";
        var output = new StringWriter();

        TokenizeCommand.RunJsonl(Gpt2Tokenizer.Load(), new StringReader(input), output);

        Assert.Equal(
            "{\"id\":1,\"ids\":[15496,995]}\n"
            + $"{{\"id\":\"b\\u00e9\",\"ids\":[{EndOfTextAsTextIds}]}}\n"
            + $"{{\"id\":3,\"ids\":[{LoneSurrogateIds}]}}\n"
            + "{\"id\":4,\"ids\":[]}\n",
            output.ToString().ReplaceLineEndings("\n"));
    }

    [Theory]
    [InlineData("{\"id\":1,\"text\":\"ok\"}\nnot json\n", 2, "invalid JSON")]
    [InlineData("[1,2]\n", 1, "not a JSON object")]
    [InlineData("{\"id\":1}\n", 1, "missing \"text\"")]
    [InlineData("{\"text\":\"x\"}\n", 1, "missing \"id\"")]
    [InlineData("{\"id\":1,\"text\":5}\n", 1, "\"text\" must be a string")]
    [InlineData("{\"id\":null,\"text\":\"x\"}\n", 1, "\"id\" must be a number or a string")]
    [InlineData("{\"id\":1,\"text\":\"x\"} {}\n", 1, "invalid JSON")]
    [InlineData("{\"id\":1,\"text\":\"x\n", 1, "invalid JSON")]
    public void A_bad_line_is_an_error_naming_its_line(string input, int badLine, string reason)
    {
        var output = new StringWriter();
        var error = Assert.Throws<GptChatException>(() =>
            TokenizeCommand.RunJsonl(Gpt2Tokenizer.Load(), new StringReader(input), output));
        Assert.Contains($"stdin line {badLine}: {reason}", error.Message);
        Assert.Equal(1, error.ExitCode);
        Assert.Equal(badLine - 1, output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public async Task Process_tokenizes_jsonl_from_stdin()
    {
        var stdin = "{\"id\":7,\"text\":\"Hello world\"}\n{\"id\":8,\"text\":\"ab\\ud800cd\"}\n";

        var run = await GptChatProcess.RunAsync(["tokenize", "--jsonl"], stdin);

        Assert.Equal("", run.StdErr);
        Assert.Equal(0, run.ExitCode);
        Assert.Equal($"{{\"id\":7,\"ids\":[15496,995]}}\n{{\"id\":8,\"ids\":[{LoneSurrogateIds}]}}\n", run.StdOut);
    }

    [Fact]
    public async Task Process_prints_the_ids_of_a_text_argument()
    {
        var run = await GptChatProcess.RunAsync(["tokenize", "Hello world"]);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(HelloWorldIds + "\n", run.StdOut);
    }

    [Fact]
    public async Task Process_reports_a_bad_line_in_one_line_with_exit_code_1()
    {
        var run = await GptChatProcess.RunAsync(["tokenize", "--jsonl"], "{\"id\":1,\"text\":\"Hello world\"}\n{oops\n");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("{\"id\":1,\"ids\":[15496,995]}\n", run.StdOut);
        Assert.StartsWith("gptchat: tokenize --jsonl: stdin line 2: invalid JSON", run.StdErr);
        Assert.Single(run.StdErr.TrimEnd('\n').Split('\n'));
    }

    [Theory]
    [InlineData(new[] { "tokenize" }, "needs a TEXT")]
    [InlineData(new[] { "tokenize", "--jsonl", "text" }, "not both")]
    public async Task Process_usage_errors_exit_2_with_one_line(string[] args, string message)
    {
        var run = await GptChatProcess.RunAsync(args);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("", run.StdOut);
        Assert.Contains(message, run.StdErr);
        Assert.Single(run.StdErr.TrimEnd('\n').Split('\n'));
    }
}

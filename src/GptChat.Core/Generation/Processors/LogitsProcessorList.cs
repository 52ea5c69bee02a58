namespace GptChat.Generation.Processors;

/// <summary>
/// The processors HF's <c>_get_logits_processor</c> builds from the options, in HF's order:
/// repetition penalty → no-repeat-n-gram → min length → min new tokens, then (sampling only)
/// temperature → top-k → top-p. A processor whose option is at its neutral value is left out, as in HF.
/// </summary>
internal sealed class LogitsProcessorList : ILogitsProcessor
{
    private readonly ILogitsProcessor[] _processors;

    private LogitsProcessorList(ILogitsProcessor[] processors) => _processors = processors;

    public int Count => _processors.Length;

    public static LogitsProcessorList Create(GenerationOptions options, int vocabSize)
    {
        var list = new List<ILogitsProcessor>();
        if (options.RepetitionPenalty != 1.0)
            list.Add(new RepetitionPenaltyProcessor(options.RepetitionPenalty, vocabSize));
        if (options.NoRepeatNgramSize > 0)
            list.Add(new NoRepeatNGramProcessor(options.NoRepeatNgramSize));
        if (options.MinLength > 0)
            list.Add(new MinLengthProcessor(options.MinLength, options.EosTokenId));
        if (options.MinNewTokens is > 0)
            list.Add(new MinNewTokensProcessor(options.MinNewTokens.Value, options.EosTokenId));
        if (options.DoSample)
        {
            if (options.Temperature != 1.0)
                list.Add(new TemperatureWarper(options.Temperature));
            if (options.TopK != 0)
                list.Add(new TopKWarper(options.TopK));
            if (options.TopP < 1.0)
                list.Add(new TopPWarper(options.TopP, vocabSize));
        }
        return new LogitsProcessorList([.. list]);
    }

    public void Process(TokenRow row, Span<float> scores)
    {
        foreach (var processor in _processors)
            processor.Process(row, scores);
    }
}

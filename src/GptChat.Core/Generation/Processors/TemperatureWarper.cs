namespace GptChat.Generation.Processors;

/// <summary>HF <c>TemperatureLogitsWarper</c>: divides every score by the temperature (sampling only).</summary>
internal sealed class TemperatureWarper(double temperature) : ILogitsProcessor
{
    private readonly float _temperature = (float)temperature;

    public void Process(TokenRow row, Span<float> scores) => VectorMath.Divide(scores, _temperature, scores);
}

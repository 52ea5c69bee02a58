namespace GptChat.Generation;

/// <summary>
/// A generation option value or combination that cannot be honoured. <see cref="Exception.Message"/> is
/// one line meant for the user (unlike <see cref="ArgumentException.ParamName"/>, which would append
/// "(Parameter …)"); <see cref="Option"/> is the option's Hugging Face name, for hosts that spell options differently.
/// </summary>
public sealed class GenerationOptionException(string option, string message) : ArgumentException(message)
{
    public string Option { get; } = option;
}

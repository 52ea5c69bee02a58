namespace GptChat.Modeling;

/// <summary>What GptChat reads from a model folder's config.json and generation_config.json.</summary>
public sealed record ModelConfig(
    string ModelType, int VocabSize, int NPositions, int NLayer, int NHead, int NEmbd,
    int BosTokenId, int EosTokenId)
{
    /// <summary>Reads the folder's config files; throws <see cref="GptChatException"/> naming what is missing or wrong.</summary>
    public static ModelConfig Load(string modelFolder) => throw new NotImplementedException();
}

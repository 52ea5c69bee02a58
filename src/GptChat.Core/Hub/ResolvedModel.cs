namespace GptChat.Hub;

/// <summary>A model ready on local disk: the folder to open and, when a choice was made, which ONNX file in it.</summary>
/// <param name="Folder">The model folder (a local folder as given, or a Hub cache snapshot folder), absolute.</param>
/// <param name="OnnxFile">The ONNX file to run, relative to <paramref name="Folder"/> (e.g. onnx/model_quantized.onnx);
/// null = let the runner detect the layout.</param>
public sealed record ResolvedModel(string Folder, string? OnnxFile);

namespace GptChat.Core.Tests.Modeling;

/// <summary>
/// A throw-away model folder assembled from models/tiny-gpt2 (files symlinked, or copied when they will be
/// altered), to give each ONNX layout a folder of its own.
/// </summary>
internal sealed class TempModelFolder : IDisposable
{
    public TempModelFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "gptchat-model-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    /// <summary>A folder with the tiny model's config files and the given ONNX files (relative to models/tiny-gpt2, kept at the same relative place).</summary>
    public static TempModelFolder WithOnnx(params string[] onnxFiles)
    {
        var folder = new TempModelFolder();
        folder.Link("config.json");
        folder.Link("generation_config.json");
        foreach (var file in onnxFiles)
            folder.Link(file);
        return folder;
    }

    /// <summary>Links <paramref name="source"/> of the tiny model in as <paramref name="target"/> (default: same relative path).</summary>
    public TempModelFolder Link(string source, string? target = null)
    {
        var destination = Resolve(target ?? source);
        File.CreateSymbolicLink(destination, System.IO.Path.Combine(TestPaths.TinyModel, source));
        return this;
    }

    /// <summary>Copies <paramref name="source"/> of the tiny model in as <paramref name="target"/>.</summary>
    public TempModelFolder Copy(string source, string? target = null)
    {
        File.Copy(System.IO.Path.Combine(TestPaths.TinyModel, source), Resolve(target ?? source));
        return this;
    }

    public string Write(string relativePath, string text)
    {
        var destination = Resolve(relativePath);
        File.WriteAllText(destination, text);
        return destination;
    }

    public string Write(string relativePath, byte[] bytes)
    {
        var destination = Resolve(relativePath);
        File.WriteAllBytes(destination, bytes);
        return destination;
    }

    private string Resolve(string relativePath)
    {
        var destination = System.IO.Path.Combine(Path, relativePath);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(destination)!);
        return destination;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless; do not fail the test over it.
        }
    }
}

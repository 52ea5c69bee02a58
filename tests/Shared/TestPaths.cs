namespace GptChat.Testing;

/// <summary>
/// Paths inside the checkout, found from the test binary's folder so tests run from any working directory.
/// One file, compiled into both test projects (see their .csproj).
/// </summary>
internal static class TestPaths
{
    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary>The tiny GPT-2 committed under models/ (every Hub ONNX layout).</summary>
    public static string TinyModel => Path.Combine(RepoRoot, "models", "tiny-gpt2");

    /// <summary>A golden-data file under tests/GptChat.Core.Tests/Fixtures.</summary>
    public static string Fixture(string name) => Path.Combine(RepoRoot, "tests", "GptChat.Core.Tests", "Fixtures", name);

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "GptChat.sln")))
                return dir.FullName;
        throw new InvalidOperationException("GptChat.sln not found above " + AppContext.BaseDirectory);
    }
}

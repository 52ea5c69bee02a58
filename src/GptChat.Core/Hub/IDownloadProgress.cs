namespace GptChat.Hub;

/// <summary>Progress of downloads, for the host to render. Called from the downloading task; one file at a time.</summary>
public interface IDownloadProgress
{
    /// <summary>A file starts downloading; <paramref name="totalBytes"/> is its full size when known.</summary>
    void Started(string file, long? totalBytes);

    /// <summary><paramref name="bytesSoFar"/> counts bytes already on disk, including those kept from an earlier, cut download.</summary>
    void Advanced(string file, long bytesSoFar);

    void Finished(string file);
}

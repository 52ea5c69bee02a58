using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace GptChat.Testing.Hub;

/// <summary>
/// A loopback HTTP/1.1 server that imitates the Hugging Face Hub for tests: the model API JSON, <c>resolve</c> URLs
/// (LFS files answered with a 302 to a "CDN" URL on another host name, localhost, carrying X-Linked-Etag / X-Linked-Size;
/// regular files served directly with their git-sha1 ETag), Range requests — and faults on demand.
/// Raw sockets so that a fault can cut the body at an exact byte or pause mid-body. Shared by both test projects.
/// </summary>
internal sealed class FakeHub : IDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<string, FakeRepo> _repos = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Fault> _faults = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<FakeRequest> _requests = new();

    public FakeHub()
    {
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        _ = AcceptLoopAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;
    public string Endpoint => $"http://127.0.0.1:{Port}";

    /// <summary>Every request received, in arrival order.</summary>
    public IReadOnlyList<FakeRequest> Requests => _requests.ToArray();

    public FakeRepo AddRepo(string id, IReadOnlyDictionary<string, byte[]> files, string? requiredToken = null)
    {
        var repo = new FakeRepo(id, files, requiredToken);
        foreach (var file in files.Keys)
        {
            // Hash now, so that answering a request later is quick even on a busy machine (tests use short stall timeouts).
            repo.Sha256(file);
            repo.GitSha1(file);
        }
        _repos[id] = repo;
        return repo;
    }

    /// <summary>A repo holding every file of models/tiny-gpt2 (the .onnx files as LFS).</summary>
    public FakeRepo AddTinyGpt2(string id, string tinyModelFolder, string? requiredToken = null) =>
        AddRepo(id, Directory.EnumerateFiles(tinyModelFolder, "*", SearchOption.AllDirectories)
                    .Where(f => !f.EndsWith("README.md", StringComparison.Ordinal))
                    .ToDictionary(f => Path.GetRelativePath(tinyModelFolder, f).Replace('\\', '/'), File.ReadAllBytes), requiredToken);

    /// <summary>Misbehave when serving <paramref name="file"/> (a repo path; "api" for the API call).</summary>
    public void AddFault(string file, Fault fault) => _faults[file] = fault;

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception)
            {
                return;
            }
            _ = Task.Run(async () =>
            {
                using (client)
                {
                    try
                    {
                        await HandleAsync(client.GetStream());
                    }
                    catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
                    {
                        // The client went away (e.g. it timed out a trickle): nothing to do.
                    }
                }
            });
        }
    }

    private async Task HandleAsync(NetworkStream stream)
    {
        var head = await ReadHeadAsync(stream);
        if (head is null)
            return;
        var lines = head.Split("\r\n");
        var parts = lines[0].Split(' ');
        var headers = lines.Skip(1).Where(l => l.Contains(':'))
            .ToDictionary(l => l[..l.IndexOf(':')].Trim(), l => l[(l.IndexOf(':') + 1)..].Trim(), StringComparer.OrdinalIgnoreCase);
        var request = new FakeRequest(parts[0], parts[1], headers.GetValueOrDefault("Host") ?? "", ParseRange(headers.GetValueOrDefault("Range")),
                                      headers.GetValueOrDefault("Authorization"));
        _requests.Enqueue(request);
        var path = Uri.UnescapeDataString(request.Target.Split('?')[0]);
        bool isHead = request.Method == "HEAD";

        if (path.StartsWith("/api/models/", StringComparison.Ordinal))
        {
            await ApiAsync(stream, request, path["/api/models/".Length..]);
            return;
        }
        if (path.StartsWith("/cdn/", StringComparison.Ordinal))
        {
            var sha = path["/cdn/".Length..];
            var found = _repos.Values.SelectMany(r => r.Files.Select(f => (Repo: r, f.Key))).FirstOrDefault(x => x.Repo.Sha256(x.Key) == sha);
            if (found.Repo is null)
                await RespondAsync(stream, 404, [], [], isHead, request);
            else
                await ServeBodyAsync(stream, request, found.Repo, found.Key, [], isHead);
            return;
        }
        foreach (var repo in _repos.Values)
        {
            var prefix = "/" + repo.Id + "/resolve/";
            if (!path.StartsWith(prefix, StringComparison.Ordinal))
                continue;
            var rest = path[prefix.Length..];
            var slash = rest.IndexOf('/');
            var (revision, file) = (rest[..slash], rest[(slash + 1)..]);
            if (TakeStatusFault(file) is { } status)
            {
                await RespondAsync(stream, status.Status!.Value, ErrorHeaders(status), [], isHead, request);
                return;
            }
            if (_faults.TryGetValue(file, out var redirect) && redirect.RedirectTo is { } location && TakeFault(file) is not null)
            {
                await RespondAsync(stream, 302, [("Location", location)], [], isHead, request);
                return;
            }
            if (Refusal(repo, request, revision) is { } refusal)
            {
                await RespondAsync(stream, refusal.Status, [("X-Error-Code", refusal.ErrorCode)], [], isHead, request);
                return;
            }
            if (!repo.Files.ContainsKey(file))
            {
                await RespondAsync(stream, 404, [("X-Error-Code", "EntryNotFound"), ("X-Repo-Commit", repo.Commit)], [], isHead, request);
                return;
            }
            if (repo.IsLfs(file))
            {
                var sha = repo.Sha256(file);
                await RespondAsync(stream, 302,
                [
                    ("Location", $"http://localhost:{Port}/cdn/{sha}"), ("X-Repo-Commit", repo.Commit),
                    ("X-Linked-Etag", $"\"{sha}\""), ("X-Linked-Size", repo.Files[file].Length.ToString()), ("ETag", $"\"{sha}\""),
                ], [], isHead, request);
            }
            else
                await ServeBodyAsync(stream, request, repo, file, [("X-Repo-Commit", repo.Commit), ("ETag", $"\"{repo.GitSha1(file)}\"")], isHead);
            return;
        }
        await RespondAsync(stream, 404, [("X-Error-Code", "RepoNotFound")], [], isHead, request);
    }

    private async Task ApiAsync(NetworkStream stream, FakeRequest request, string rest)
    {
        var at = rest.IndexOf("/revision/", StringComparison.Ordinal);
        var (id, revision) = at < 0 ? (rest, "main") : (rest[..at], rest[(at + "/revision/".Length)..]);
        if (TakeStatusFault("api") is { } status)
        {
            await RespondAsync(stream, status.Status!.Value, ErrorHeaders(status), [], false, request);
            return;
        }
        if (!_repos.TryGetValue(id, out var repo))
        {
            // The real Hub answers 401 for a repo that does not exist (or that you may not see).
            await RespondAsync(stream, 401, [("X-Error-Code", "RepoNotFound")], [], false, request);
            return;
        }
        if (Refusal(repo, request, revision) is { } refusal)
        {
            await RespondAsync(stream, refusal.Status, [("X-Error-Code", refusal.ErrorCode)], [], false, request);
            return;
        }
        var withBlobs = request.Target.Contains("blobs=true", StringComparison.Ordinal) && repo.ListBlobs;
        var siblings = repo.Files.Keys.Concat(repo.ExtraListedNames).Order(StringComparer.Ordinal).Select(name =>
        {
            var entry = new Dictionary<string, object> { ["rfilename"] = name };
            if (withBlobs && repo.Files.TryGetValue(name, out var bytes))
            {
                entry["size"] = bytes.Length;
                entry["blobId"] = repo.GitSha1(name);
                if (repo.IsLfs(name))
                    entry["lfs"] = new Dictionary<string, object> { ["sha256"] = repo.Sha256(name), ["size"] = bytes.Length, ["pointerSize"] = 134 };
            }
            return entry;
        });
        var json = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object> { ["id"] = repo.Id, ["sha"] = repo.Commit, ["siblings"] = siblings.ToList() });
        await RespondAsync(stream, 200, [("Content-Type", "application/json")], json, false, request);
    }

    private async Task ServeBodyAsync(NetworkStream stream, FakeRequest request, FakeRepo repo, string file,
                                      List<(string, string)> headers, bool isHead)
    {
        var bytes = repo.Files[file];
        var fault = TakeFault(file);
        if (fault?.WrongBytes == true)
        {
            bytes = (byte[])bytes.Clone();
            bytes[bytes.Length / 2] ^= 0xFF;
        }
        var start = request.RangeStart ?? 0;
        int status = 200;
        if (start > 0)
        {
            if (start >= bytes.Length)
            {
                await RespondAsync(stream, 416, [("Content-Range", $"bytes */{bytes.Length}")], [], isHead, request);
                return;
            }
            status = 206;
            headers.Add(("Content-Range", $"bytes {start}-{bytes.Length - 1}/{bytes.Length}"));
        }
        headers.Add(("Accept-Ranges", "bytes"));
        var body = bytes.AsMemory((int)start);
        await WriteHeadAsync(stream, status, headers, body.Length);
        if (isHead)
            return;
        if (fault?.CutAfterBytes is { } cut && cut < body.Length)
        {
            await WriteCountedAsync(stream, body[..(int)cut], request);
            return; // closing the socket now leaves the body short of its Content-Length
        }
        if (fault?.PauseMidBody is { } pause)
        {
            var half = body.Length / 2;
            await WriteCountedAsync(stream, body[..half], request);
            await Task.Delay(pause, _stop.Token);
            body = body[half..];
        }
        await WriteCountedAsync(stream, body, request);
    }

    private static async Task WriteCountedAsync(NetworkStream stream, ReadOnlyMemory<byte> data, FakeRequest request)
    {
        const int chunk = 64 * 1024;
        for (var i = 0; i < data.Length; i += chunk)
        {
            var part = data.Slice(i, Math.Min(chunk, data.Length - i));
            await stream.WriteAsync(part);
            request.AddBodyBytes(part.Length);
        }
    }

    private static async Task RespondAsync(NetworkStream stream, int status, List<(string, string)> headers, byte[] body, bool isHead, FakeRequest request)
    {
        await WriteHeadAsync(stream, status, headers, body.Length);
        if (!isHead && body.Length > 0)
            await WriteCountedAsync(stream, body, request);
    }

    private static async Task WriteHeadAsync(NetworkStream stream, int status, List<(string Name, string Value)> headers, long contentLength)
    {
        var head = new StringBuilder($"HTTP/1.1 {status} {((HttpStatusCode)status)}\r\n");
        foreach (var (name, value) in headers)
            head.Append($"{name}: {value}\r\n");
        head.Append($"Content-Length: {contentLength}\r\nConnection: close\r\n\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()));
    }

    private static async Task<string?> ReadHeadAsync(NetworkStream stream)
    {
        var buffer = new List<byte>();
        var one = new byte[1];
        while (buffer.Count < 16384)
        {
            if (await stream.ReadAsync(one) == 0)
                return null;
            buffer.Add(one[0]);
            if (buffer.Count >= 4 && buffer[^4] == '\r' && buffer[^3] == '\n' && buffer[^2] == '\r' && buffer[^1] == '\n')
                return Encoding.ASCII.GetString(buffer.ToArray(), 0, buffer.Count - 4);
        }
        return null;
    }

    private static long? ParseRange(string? range) =>
        range is not null && range.StartsWith("bytes=", StringComparison.Ordinal) && long.TryParse(range[6..].TrimEnd('-').Split('-')[0], out var start)
            ? start : null;

    // What the API and the resolve URLs both refuse, in the Hub's order: a gated repo without the token, then an unknown revision.
    private static (int Status, string ErrorCode)? Refusal(FakeRepo repo, FakeRequest request, string revision) =>
        !Authorized(repo, request) ? (401, "GatedRepo")
        : revision != "main" && revision != repo.Commit ? (404, "RevisionNotFound")
        : null;

    private static bool Authorized(FakeRepo repo, FakeRequest request) =>
        repo.RequiredToken is null || request.Authorization == "Bearer " + repo.RequiredToken;

    private static List<(string, string)> ErrorHeaders(Fault fault) => fault.ErrorCode is { } code ? [("X-Error-Code", code)] : [];

    private Fault? TakeStatusFault(string file) =>
        _faults.TryGetValue(file, out var fault) && fault.Status is not null ? TakeFault(file) : null;

    private Fault? TakeFault(string file)
    {
        if (!_faults.TryGetValue(file, out var fault))
            return null;
        if (Interlocked.Decrement(ref fault.TimesLeft) <= 0)
            _faults.TryRemove(file, out _);
        return fault;
    }
}

/// <summary>One way to misbehave, for the next <see cref="TimesLeft"/> requests of a file.</summary>
internal sealed class Fault
{
    public int TimesLeft = 1;
    public int? Status { get; init; }
    public string? ErrorCode { get; init; }
    public long? CutAfterBytes { get; init; }
    public bool WrongBytes { get; init; }
    public TimeSpan? PauseMidBody { get; init; }
    /// <summary>Answer the resolve URL with a redirect here instead.</summary>
    public string? RedirectTo { get; init; }
}

/// <summary>A request as the fake Hub saw it, with the body bytes it sent back.</summary>
internal sealed class FakeRequest(string method, string target, string host, long? rangeStart, string? authorization)
{
    private long _bodyBytes;
    public string Method { get; } = method;
    public string Target { get; } = target;
    public string Host { get; } = host;
    public long? RangeStart { get; } = rangeStart;
    public string? Authorization { get; } = authorization;
    public long BodyBytes => Interlocked.Read(ref _bodyBytes);
    public void AddBodyBytes(long count) => Interlocked.Add(ref _bodyBytes, count);
}

/// <summary>A repo of the fake Hub: its files at one commit; *.onnx files are LFS.</summary>
internal sealed class FakeRepo(string id, IReadOnlyDictionary<string, byte[]> files, string? requiredToken)
{
    public string Id { get; } = id;
    public string Commit { get; } = Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(id)));
    public IReadOnlyDictionary<string, byte[]> Files { get; } = files;
    public string? RequiredToken { get; } = requiredToken;
    /// <summary>False: the API lists names only (as a Hub without ?blobs=true support), so clients must probe.</summary>
    public bool ListBlobs { get; set; } = true;
    /// <summary>Names the API lists without the repo having them (e.g. hostile paths).</summary>
    public List<string> ExtraListedNames { get; } = [];

    public bool IsLfs(string file) => file.EndsWith(".onnx", StringComparison.Ordinal) || file.Contains(".onnx_data", StringComparison.Ordinal);
    private readonly ConcurrentDictionary<string, string> _hashes = new(StringComparer.Ordinal);

    public string Sha256(string file) => _hashes.GetOrAdd("sha256:" + file, _ => Convert.ToHexStringLower(SHA256.HashData(Files[file])));

    public string GitSha1(string file) => _hashes.GetOrAdd("sha1:" + file, _ =>
    {
        var bytes = Files[file];
        return Convert.ToHexStringLower(SHA1.HashData([.. Encoding.ASCII.GetBytes($"blob {bytes.Length}\0"), .. bytes]));
    });
}

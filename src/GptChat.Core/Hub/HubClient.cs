using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;

namespace GptChat.Hub;

/// <summary>
/// HTTP to one repo on the Hub: the API listing, metadata probes and file downloads, with redirects followed by hand
/// (to read the Hub's headers on the redirect, refuse plain http off loopback, and keep the token on the Hub's own host),
/// and every failure turned into one line that says what to do.
/// </summary>
internal sealed class HubClient : IDisposable
{
    private const int MaxRedirects = 10;
    private readonly HttpClient _http;
    private readonly Uri _endpoint;
    private readonly HubSettings _settings;
    private readonly RepoId _repo;

    public HubClient(HubSettings settings, RepoId repo)
    {
        _settings = settings;
        _repo = repo;
        _endpoint = ParseEndpoint(settings.Endpoint);
        _http = new HttpClient(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            ConnectTimeout = TimeSpan.FromSeconds(15),
            UseCookies = false,
        })
        { Timeout = Timeout.InfiniteTimeSpan };
        _http.DefaultRequestHeaders.UserAgent.ParseAdd("gptchat/1.0");
    }

    public string Host => _endpoint.Authority;

    /// <summary>The endpoint as a URL, refusing anything but https (or http to this machine).</summary>
    public static Uri ParseEndpoint(string endpoint)
    {
        if (!Uri.TryCreate(endpoint.TrimEnd('/') + "/", UriKind.Absolute, out var uri) || (uri.Scheme != "https" && uri.Scheme != "http"))
            throw new GptChatException($"invalid Hub endpoint '{endpoint}' (HF_ENDPOINT): give a URL such as https://huggingface.co", exitCode: 2);
        if (!IsAllowed(uri))
            throw new GptChatException($"refusing plain http to {uri.Host}: the Hub endpoint must use https (plain http is allowed only to this machine)", exitCode: 2);
        return uri;
    }

    /// <summary>GET {endpoint}/api/models/{repo}/revision/{revision}?blobs=true: the commit and the files with sizes and hashes.</summary>
    public async Task<RepoListing> GetListingAsync(string revision, CancellationToken cancellationToken)
    {
        var url = new Uri(_endpoint, $"api/models/{_repo.Value}/revision/{Uri.EscapeDataString(revision)}?blobs=true");
        using var response = await SendAsync(HttpMethod.Get, url, rangeStart: 0, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
            throw Failure(response, $"{_repo} at revision '{revision}'", file: null, revision);
        var json = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        return RepoListing.Parse(json, _repo);
    }

    /// <summary>
    /// HEAD on the resolve URL, for a file the API listed without hashes: its blob name and size, read (as huggingface_hub
    /// does) from X-Linked-Etag / X-Linked-Size on the Hub's redirect, or ETag / Content-Length on the final answer.
    /// </summary>
    public async Task<(string BlobName, long? Size)> ProbeAsync(string commit, string path, CancellationToken cancellationToken)
    {
        var url = ResolveUrl(commit, path);
        for (var hop = 0; hop <= MaxRedirects; hop++)
        {
            using var response = await SendOnceAsync(HttpMethod.Head, url, 0, cancellationToken).ConfigureAwait(false);
            var linked = Header(response, "X-Linked-Etag");
            if (linked is not null)
                return (NormalizeEtag(linked), long.TryParse(Header(response, "X-Linked-Size"), out var ls) ? ls : null);
            if (IsRedirect(response.StatusCode))
            {
                url = NextHop(url, response);
                continue;
            }
            if (!response.IsSuccessStatusCode)
                throw Failure(response, $"{path} in {_repo}", path, commit);
            var etag = Header(response, "ETag") ?? throw new GptChatException($"the Hub sent no ETag for {path} in {_repo}, so it cannot be cached; is HF_ENDPOINT a Hugging Face Hub?");
            return (NormalizeEtag(etag), response.Content.Headers.ContentLength);
        }
        throw new GptChatException($"too many redirects fetching {path} from {_repo}");
    }

    /// <summary>
    /// GET {endpoint}/{repo}/resolve/{commit}/{path} from byte <paramref name="rangeStart"/> on, following redirects.
    /// Returns the 200/206 answer with its body unread; throws a one-line error for anything else.
    /// </summary>
    public async Task<HttpResponseMessage> GetFileAsync(string commit, string path, long rangeStart, CancellationToken cancellationToken)
    {
        var response = await SendAsync(HttpMethod.Get, ResolveUrl(commit, path), rangeStart, cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode)
            return response;
        using (response)
        {
            // The kept part is no longer a prefix of what the server has: start over.
            if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable && rangeStart > 0)
                return await GetFileAsync(commit, path, 0, cancellationToken).ConfigureAwait(false);
            throw Failure(response, $"{path} in {_repo}", path, commit);
        }
    }

    /// <summary>The one line for a network failure below HTTP (refused, DNS, TLS, reset before an answer).</summary>
    public GptChatException Unreachable(Exception e) =>
        new($"cannot reach the Hub at {_endpoint.GetLeftPart(UriPartial.Authority)} ({Reason(e)}): check the network, or use --offline with a cached model, or pass a local model folder");

    public void Dispose() => _http.Dispose();

    private Uri ResolveUrl(string commit, string path) =>
        new(_endpoint, $"{_repo.Value}/resolve/{Uri.EscapeDataString(commit)}/{string.Join('/', path.Split('/').Select(Uri.EscapeDataString))}");

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, Uri url, long rangeStart, CancellationToken cancellationToken)
    {
        for (var hop = 0; hop <= MaxRedirects; hop++)
        {
            var response = await SendOnceAsync(method, url, rangeStart, cancellationToken).ConfigureAwait(false);
            if (!IsRedirect(response.StatusCode))
                return response;
            using (response)
                url = NextHop(url, response);
        }
        throw new GptChatException($"too many redirects from the Hub for {_repo}");
    }

    private async Task<HttpResponseMessage> SendOnceAsync(HttpMethod method, Uri url, long rangeStart, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, url);
        request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("identity")); // sizes and hashes are of the raw bytes
        if (rangeStart > 0)
            request.Headers.Range = new RangeHeaderValue(rangeStart, null);
        // The token goes to the Hub's own origin only, never to the CDN or another host a redirect names.
        if (_settings.Token is not null && SameOrigin(url, _endpoint))
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _settings.Token);
        using var stall = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        stall.CancelAfter(_settings.StallTimeout);
        try
        {
            return await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, stall.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new GptChatException($"the Hub at {url.Authority} did not answer within {_settings.StallTimeout.TotalSeconds:0.#} s: try again later, or use --offline with a cached model");
        }
        catch (HttpRequestException e)
        {
            throw Unreachable(e);
        }
    }

    private Uri NextHop(Uri current, HttpResponseMessage response)
    {
        var location = response.Headers.Location ?? throw new GptChatException($"the Hub sent a redirect without a location for {_repo}");
        var next = location.IsAbsoluteUri ? location : new Uri(current, location);
        if (next.Scheme != "https" && next.Scheme != "http")
            throw new GptChatException($"refusing redirect to a {next.Scheme} URL while fetching {_repo}");
        if (!IsAllowed(next))
            throw new GptChatException($"refusing redirect to plain http on {next.Host} while fetching {_repo}: downloads must use https");
        return next;
    }

    private GptChatException Failure(HttpResponseMessage response, string what, string? file, string revision)
    {
        var code = (int)response.StatusCode;
        var errorCode = Header(response, "X-Error-Code");
        var tokenHint = _settings.Token is null
            ? "set HF_TOKEN to a Hugging Face access token that can read it"
            : "HF_TOKEN is set but cannot read it: accept the repo's terms on the Hub or use a token with access";
        if (errorCode == "GatedRepo" || (code is 401 or 403 && errorCode != "RepoNotFound"))
            return new GptChatException($"access to {_repo} denied (HTTP {code}): the repo is gated or private; {tokenHint}");
        if (errorCode == "RepoNotFound")
            return new GptChatException($"model repo {_repo} not found on {_endpoint.Authority} (HTTP {code}): check the id; if it is private, {tokenHint}");
        if (errorCode == "RevisionNotFound")
            return new GptChatException($"revision '{revision}' not found in {_repo} (HTTP {code}): check --revision");
        if (errorCode == "EntryNotFound" || (code == 404 && file is not null))
            return new GptChatException($"file {file} not found in {_repo} at revision {revision} (HTTP {code})");
        if (code == 404)
            return new GptChatException($"{_repo} at revision '{revision}' not found on {_endpoint.Authority} (HTTP 404): check the model id and --revision");
        return new GptChatException($"the Hub answered HTTP {code} {response.ReasonPhrase} for {what}: try again later");
    }

    private static bool IsRedirect(HttpStatusCode status) => (int)status is 301 or 302 or 303 or 307 or 308;

    private static bool IsAllowed(Uri uri) => uri.Scheme == "https" || uri.IsLoopback;

    private static bool SameOrigin(Uri a, Uri b) =>
        a.Scheme == b.Scheme && string.Equals(a.Host, b.Host, StringComparison.OrdinalIgnoreCase) && a.Port == b.Port;

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
            ? values.FirstOrDefault() : null;

    // huggingface_hub's _normalize_etag: drop a weak marker and the quotes.
    private static string NormalizeEtag(string etag) =>
        (etag.StartsWith("W/", StringComparison.Ordinal) ? etag[2..] : etag).Trim('"');

    private static string Reason(Exception e) =>
        e.InnerException is SocketException s ? s.SocketErrorCode switch
        {
            SocketError.ConnectionRefused => "connection refused",
            SocketError.HostNotFound or SocketError.TryAgain or SocketError.NoData => "host not found",
            SocketError.TimedOut => "connection timed out",
            SocketError.NetworkUnreachable or SocketError.HostUnreachable => "network unreachable",
            _ => s.Message,
        } : e.Message;
}

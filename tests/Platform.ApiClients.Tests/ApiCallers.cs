using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Http.HttpClientLibrary;
using Platform.Testing;

namespace Platform.ApiClients.Tests;

/// <summary>
/// Generated clients wired as an integrating team would wire them: Kiota's HttpClient adapter, the service's
/// address, and a bearer token from the issuer for the calling party in the Authorization header. Every request
/// passes a recorder, so a test can say which of the document's operations it has called.
/// </summary>
public sealed class ApiCallers(RunningPlatform platform) : IDisposable
{
    private readonly List<HttpClient> clients = [];
    private readonly ConcurrentDictionary<string, ConcurrentBag<string>> called = new(StringComparer.Ordinal);

    /// <param name="role">Null: no token at all.</param>
    public T Client<T>(string service, string? role, string? party, Func<IRequestAdapter, T> create)
    {
        var running = platform.Services[service];
        HttpMessageHandler handler = new HttpClientHandler();
        if (role is not null)
        {
            var bearer = platform.Env.Tokens.Bearer(role, party!, running.Name);
            bearer.InnerHandler = handler;
            handler = bearer;
        }
        var http = new HttpClient(new Recorder(called.GetOrAdd(service, _ => [])) { InnerHandler = handler });
        clients.Add(http);
        var adapter = new HttpClientRequestAdapter(new AnonymousAuthenticationProvider(), httpClient: http)
        {
            BaseUrl = running.Address.ToString().TrimEnd('/'),
        };
        return create(adapter);
    }

    /// <summary>The document's operations ("POST /claims/{id}/accept") that no request through these clients has matched.</summary>
    public IReadOnlyList<string> NotCalled(string service)
    {
        var requests = called.GetOrAdd(service, _ => []).ToList();
        var document = Documents.Committed(service);
        return [.. document["paths"]!.AsObject()
            .SelectMany(path => path.Value!.AsObject().Select(operation => (Method: operation.Key.ToUpperInvariant(), Template: path.Key)))
            .Where(operation => !requests.Any(request => Matches(operation.Method, operation.Template, request)))
            .Select(operation => $"{operation.Method} {operation.Template}")];
    }

    private static bool Matches(string method, string template, string request)
    {
        var pattern = "^" + method + " " + Regex.Replace(Regex.Escape(template), @"\\\{[^}]+}", "[^/]+") + "$";
        return Regex.IsMatch(request, pattern);
    }

    public void Dispose()
    {
        foreach (var client in clients)
        {
            client.Dispose();
        }
    }

    /// <summary>Writes down "METHOD /path" of every request sent.</summary>
    private sealed class Recorder(ConcurrentBag<string> requests) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            requests.Add($"{request.Method.Method} {request.RequestUri!.AbsolutePath}");
            return base.SendAsync(request, cancellationToken);
        }
    }
}

/// <summary>What every state-changing call sends: the Idempotency-Key header the documents require.</summary>
public static class Idempotent
{
    public const string Header = "Idempotency-Key";

    public static Action<RequestConfiguration<DefaultQueryParameters>> Key(Guid? key = null) =>
        configuration => configuration.Headers.Add(Header, (key ?? Guid.NewGuid()).ToString());
}

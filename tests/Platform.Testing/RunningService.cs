using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Platform.Testing;

/// <summary>A service started in this process from its own factory, on real Kestrel, against the environment's servers.</summary>
public sealed class RunningService : IAsyncDisposable
{
    private readonly List<HttpClient> clients = [];

    private RunningService(WebApplication app, Uri address, TestEnvironment environment, string name)
    {
        App = app;
        Name = name;
        Address = address;
        Environment = environment;
    }

    public WebApplication App { get; }

    /// <summary>The service's name, which is also the audience of the tokens it accepts.</summary>
    public string Name { get; }
    public Uri Address { get; }
    public TestEnvironment Environment { get; }
    public IServiceProvider Services => App.Services;

    /// <summary>Starts a service from its Create(args, configure) factory; <paramref name="configure"/> adds test-only wiring.</summary>
    public static Task<RunningService> Start(Func<string[], Action<WebApplicationBuilder>?, WebApplication> create, TestEnvironment environment, string service,
        Action<WebApplicationBuilder>? configure = null, params string[] extraArguments) =>
        Start(args => create(args, configure), environment, service, extraArguments);

    public static async Task<RunningService> Start(Func<string[], WebApplication> create, TestEnvironment environment, string service, params string[] extraArguments)
    {
        var app = create([.. await environment.Arguments(service), .. extraArguments]);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new RunningService(app, new Uri(address), environment, service);
    }

    /// <summary>A client that calls as <paramref name="role"/> acting for <paramref name="subjectId"/>.</summary>
    /// <summary>Each request carries a current token from the issuer for the party, for this service.</summary>
    public HttpClient As(string role, string subjectId) => Client(Environment.Tokens.Bearer(role, subjectId, Name));

    public HttpClient Anonymous() => Client(null);

    private HttpClient Client(DelegatingHandler? bearer)
    {
        HttpMessageHandler handler = new HttpClientHandler();
        if (bearer is not null)
        {
            bearer.InnerHandler = handler;
            handler = bearer;
        }
        var client = new HttpClient(new IdempotencyKeys { InnerHandler = handler }) { BaseAddress = Address };
        clients.Add(client);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in clients)
        {
            client.Dispose();
        }
        await App.StopAsync();
        await App.DisposeAsync();
    }
}

/// <summary>
/// Every state-changing request needs an Idempotency-Key; a test that does not care which gets a new one per
/// request, and a test that does sends its own, which this leaves alone.
/// </summary>
public sealed class IdempotencyKeys : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Method != HttpMethod.Get && request.Method != HttpMethod.Head && !request.Headers.Contains("Idempotency-Key"))
        {
            request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        }
        return base.SendAsync(request, cancellationToken);
    }
}

using System.CommandLine;
using Platform.ServiceDefaults;

var role = new Option<string>("--role") { Description = "The caller's role", Required = true };
role.AcceptOnlyFromAmong([.. PlatformRoles.All]);
var subject = new Option<string>("--subject") { Description = "The id of the party the caller acts as (buyer id, merchant id, provider id, staff id)", Required = true };
var hours = new Option<double>("--hours") { Description = "Lifetime in hours", DefaultValueFactory = _ => 12 };
var token = new Command("token", "Issues a development bearer token, readable by every service sharing PLATFORM_KEYS_DIR") { role, subject, hours };
token.SetAction(parse =>
{
    var settings = PlatformSettings.FromEnvironment();
    using var issuer = PlatformAuthentication.CreateIssuer(settings.KeysDirectory);
    Console.WriteLine(issuer.Issue(parse.GetValue(role)!, parse.GetValue(subject)!, TimeSpan.FromHours(parse.GetValue(hours))));
    return 0;
});

var url = new Argument<string>("url") { Description = "The health endpoint, e.g. http://127.0.0.1:8080/health/ready" };
var health = new Command("health", "Exits 0 when the endpoint answers 2xx within 5 s: the container health check, since the runtime image has no curl") { url };
health.SetAction(async (parse, ct) =>
{
    using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
    try
    {
        if (!Uri.TryCreate(parse.GetValue(url), UriKind.Absolute, out var address))
        {
            Console.Error.WriteLine($"not an absolute URL: {parse.GetValue(url)}");
            return 2;
        }
        using var response = await client.GetAsync(address, ct);
        Console.WriteLine($"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
        return response.IsSuccessStatusCode ? 0 : 1;
    }
    catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
    {
        Console.Error.WriteLine($"unhealthy: {e.Message}");
        return 1;
    }
});

var root = new RootCommand("The after-sales warranty platform's operator commands") { token, health };
return await root.Parse(args).InvokeAsync();

using System.CommandLine;
using Platform.Cli;
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

var max = new Option<int>("--max") { Description = "At most this many messages", DefaultValueFactory = _ => 100 };
var errorQueue = new Argument<string>("queue") { Description = "A dead-letter queue, e.g. warranty-order-completed_error" };
var list = new Command("list", "Lists the dead-letter queues (_error, _skipped) of PLATFORM_RABBITMQ_VHOST and, for each that holds messages, why") { max };
list.SetAction(async (parse, ct) =>
{
    var queues = new ErrorQueues(PlatformSettings.FromEnvironment());
    foreach (var (queue, count) in await queues.List(ct))
    {
        Console.WriteLine($"{queue}: {count} message(s)");
        foreach (var message in count == 0 ? [] : await queues.Peek(queue, parse.GetValue(max), ct))
        {
            Console.WriteLine($"  {message.MessageId} {message.MessageType} at {message.FaultedAt}: {message.ExceptionType}: {message.Reason}");
        }
    }
    return 0;
});
var move = new Command("move", "Moves messages from a dead-letter queue back to the queue they came from, after the cause is fixed") { errorQueue, max };
move.SetAction(async (parse, ct) =>
{
    var moved = await new ErrorQueues(PlatformSettings.FromEnvironment()).MoveBack(parse.GetValue(errorQueue)!, parse.GetValue(max), ct);
    Console.WriteLine($"moved {moved} message(s) back");
    return 0;
});
var errors = new Command("errors", "Dead-lettered messages: see why they failed, move them back") { list, move };

var root = new RootCommand("The after-sales warranty platform's operator commands") { token, health, errors };
return await root.Parse(args).InvokeAsync();

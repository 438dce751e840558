using System.CommandLine;
using Npgsql;
using Platform.EventSourcing;
using Microsoft.Extensions.Configuration;
using Platform.ServiceDefaults;
using Platform.ServiceDefaults.Identity;

var role = new Option<string>("--role") { Description = "The caller's role", Required = true };
role.AcceptOnlyFromAmong([.. PlatformRoles.All]);
var subject = new Option<string>("--subject") { Description = "The id of the party the caller acts as (buyer id, merchant id, provider id, staff id)", Required = true };
var service = new Option<string>("--service") { Description = "The service the token is for (its audience)", Required = true };
service.AcceptOnlyFromAmong([.. IssuerProtocol.ServiceAudiences]);
var token = new Command("token", "Gets a token for a party at one service from the issuer at PLATFORM_AUTH_AUTHORITY, registering the party's client (role:subject) first") { role, subject, service };
token.SetAction(async (parse, ct) =>
{
    using var issuer = IssuerClient.From(Environment());
    Console.WriteLine(await issuer.TokenFor(parse.GetValue(role)!, parse.GetValue(subject)!, parse.GetValue(service)!, ct));
    return 0;
});

var clientId = new Argument<string>("client-id") { Description = "The client's id, e.g. provider-acme-repairs" };
var secret = new Option<string>("--secret") { Description = "The client's secret, at least 16 characters; give it to the party out of band", Required = true };
var services = new Option<string[]>("--service") { Description = "A service the client may get tokens for (repeat for more)", Required = true, AllowMultipleArgumentsPerToken = true };
services.AcceptOnlyFromAmong([.. IssuerProtocol.ServiceAudiences]);
var register = new Command("register", "Registers (or updates) a machine party's client: its role, the party it acts as, the services it may call") { clientId, role, subject, secret, services };
register.SetAction(async (parse, ct) =>
{
    using var issuer = IssuerClient.From(Environment());
    await issuer.Register(parse.GetValue(clientId)!, new ClientRegistration(parse.GetValue(secret)!, parse.GetValue(role)!, parse.GetValue(subject)!, parse.GetValue(services)!), ct);
    Console.WriteLine($"registered {parse.GetValue(clientId)}");
    return 0;
});
var revoke = new Command("revoke", "Removes a client: it gets no more tokens, and the services refuse the ones it holds within seconds") { clientId };
revoke.SetAction(async (parse, ct) =>
{
    using var issuer = IssuerClient.From(Environment());
    await issuer.Remove(parse.GetValue(clientId)!, ct);
    Console.WriteLine($"revoked {parse.GetValue(clientId)}");
    return 0;
});
var clients = new Command("clients", "The issuer's clients: one per machine party (provider, merchant system, trade system, customer-service tooling)") { register, revoke };

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

var database = new Option<string>("--database") { Description = "The service's database (warranty, order, repairdispatch, arbitration); by default PLATFORM_PG_DATABASE", DefaultValueFactory = _ => System.Environment.GetEnvironmentVariable("PLATFORM_PG_DATABASE") ?? "" };
var outboxIds = new Argument<Guid[]>("message-id") { Description = "The ids of the set-aside messages to send again", Arity = ArgumentArity.ZeroOrMore };
var all = new Option<bool>("--all") { Description = "Every set-aside message of the database" };
var parked = new Command("list", "Lists the outbox messages the relay set aside after failing to publish them, with the last error") { database, max };
parked.SetAction(async (parse, ct) =>
{
    await using var dataSource = NpgsqlDataSource.Create(PlatformSettings.FromEnvironment().ConnectionString(Required(parse.GetValue(database))));
    foreach (var refusal in (await RefusalLog.Latest(dataSource, parse.GetValue(max), ct)).Where(r => r.Consumer == SetAsideMessages.Consumer))
    {
        Console.WriteLine($"{refusal.MessageId} {refusal.MessageType} at {refusal.RefusedAt:O} ({refusal.Code}): {refusal.Reason}");
    }
    return 0;
});
var retry = new Command("retry", "Sends set-aside outbox messages again, once the cause is fixed: back into the outbox, due at once") { database, outboxIds, all };
retry.SetAction(async (parse, ct) =>
{
    var ids = parse.GetValue(outboxIds) ?? [];
    if (ids.Length == 0 == !parse.GetValue(all))
    {
        Console.Error.WriteLine("name the messages to retry, or --all");
        return 2;
    }
    await using var dataSource = NpgsqlDataSource.Create(PlatformSettings.FromEnvironment().ConnectionString(Required(parse.GetValue(database))));
    var retried = await SetAsideMessages.Retry(dataSource, parse.GetValue(all) ? null : ids, ct);
    Console.WriteLine($"sent {retried.Count} message(s) back to the outbox");
    foreach (var id in ids.Except(retried))
    {
        Console.Error.WriteLine($"{id}: not set aside (retried already, or never)");
    }
    return ids.Except(retried).Any() ? 1 : 0;
});
var outbox = new Command("outbox", "Outbox messages the relay set aside: see why, send them again") { parked, retry };

var root = new RootCommand("The after-sales warranty platform's operator commands") { token, clients, health, errors, outbox };
return await root.Parse(args).InvokeAsync();

static string Required(string? database) =>
    string.IsNullOrWhiteSpace(database) ? throw new ArgumentException("Name the database with --database or PLATFORM_PG_DATABASE.") : database;

static IConfiguration Environment() => new ConfigurationBuilder().AddEnvironmentVariables().Build();

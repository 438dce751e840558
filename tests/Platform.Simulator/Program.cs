using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Platform.ServiceDefaults;
using Platform.ServiceDefaults.Identity;
using Platform.Simulator;

var environment = new ConfigurationBuilder().AddEnvironmentVariables().Build();
using var tokens = IssuerClient.From(environment);
var defaults = new SimulationOptions { Settings = PlatformSettings.From(environment), Tokens = tokens, Clock = TimeProvider.System };
var orders = new Option<int>("--orders") { Description = $"Orders to play (at least {Plan.MinimumOrders}, one per story)", DefaultValueFactory = _ => defaults.Orders };
var seed = new Option<int>("--seed") { Description = "Chooses categories, prices and plans; the same seed plays the same scenario", DefaultValueFactory = _ => defaults.Seed };
var mix = new Option<Mix>("--mix") { Description = "What the orders beyond the first of each story repeat: Everyday (mostly quiet orders) or EveryStory (claims, cases, breaches, escalations throughout)", DefaultValueFactory = _ => defaults.Mix };
var pace = new Option<double>("--orders-per-second") { Description = "Begin the orders one after another at this rate (default 0: all at once)", DefaultValueFactory = _ => defaults.OrdersPerSecond };
var chaos = new Option<string?>("--chaos") { Description = "Run under faults (deploy/chaos.sh): ride out services, broker and database going away, send bad messages and repeat good ones, and write what was done with the summary to this JSON file" };
var badMessages = new Option<int>("--bad-messages") { Description = "With --chaos: deliberately bad messages to send to the services' queues", DefaultValueFactory = _ => new ChaosOptions { ManifestPath = "" }.BadMessages };
var timeout = new Option<int?>("--timeout") { Description = "Seconds of real time before the run stops waiting and reports what has not settled (default: a minute more than 30 business days take)" };
var webhookCertificate = new Option<string?>("--webhook-certificate") { Description = "With --webhook-key: the providers register webhooks on an HTTPS endpoint with this certificate (PEM), which RepairDispatch must trust, and learn of their jobs there" };
var webhookKey = new Option<string?>("--webhook-key") { Description = "The private key (PEM) of --webhook-certificate" };
var orderUrl = Address("--order-url", "The Order service", defaults.OrderUrl);
var warrantyUrl = Address("--warranty-url", "The Warranty service", defaults.WarrantyUrl);
var repairUrl = Address("--repair-dispatch-url", "The RepairDispatch service", defaults.RepairDispatchUrl);
var arbitrationUrl = Address("--arbitration-url", "The Arbitration service", defaults.ArbitrationUrl);

var root = new RootCommand("""
    Plays the marketplace around the four services: the trade system's orders, buyers, customer service and
    merchants, repair providers that call back in time, late or never, and an arbitrator. Then reads back from
    the services' APIs what became of it all, and exits 1 when that differs from what the scenario implies.
    The broker, issuer and clock come from the services' own environment variables (PLATFORM_RABBITMQ_*,
    PLATFORM_AUTH_AUTHORITY with PLATFORM_IDENTITY_ADMIN_SECRET, PLATFORM_CLOCK_SPEED and PLATFORM_CLOCK_ORIGIN).
    """)
{
    orders, seed, mix, pace, chaos, badMessages, timeout, webhookCertificate, webhookKey, orderUrl, warrantyUrl, repairUrl, arbitrationUrl,
};
root.SetAction(async (parse, ct) =>
{
    try
    {
        var options = defaults with
        {
            Orders = parse.GetValue(orders),
            Seed = parse.GetValue(seed),
            Mix = parse.GetValue(mix),
            OrdersPerSecond = parse.GetValue(pace),
            Chaos = parse.GetValue(chaos) is { } manifest ? new ChaosOptions { ManifestPath = manifest, BadMessages = parse.GetValue(badMessages) } : null,
            Timeout = parse.GetValue(timeout) is { } seconds ? TimeSpan.FromSeconds(seconds) : null,
            Webhooks = parse.GetValue(webhookCertificate) is { } certificate
                ? new WebhookOptions(certificate, parse.GetValue(webhookKey) ?? throw new InvalidOperationException("--webhook-certificate needs --webhook-key."))
                : null,
            OrderUrl = parse.GetValue(orderUrl)!,
            WarrantyUrl = parse.GetValue(warrantyUrl)!,
            RepairDispatchUrl = parse.GetValue(repairUrl)!,
            ArbitrationUrl = parse.GetValue(arbitrationUrl)!,
            Clock = AcceleratedTimeProvider.FromConfiguration(environment),
        };
        var summary = await Simulation.Run(options, Console.Out, ct);
        summary.Print(Console.Out);
        return summary.Agrees ? 0 : 1;
    }
    catch (Exception e) when (e is InvalidOperationException or UnexpectedAnswerException)
    {
        Console.Error.WriteLine($"simulator: {e.Message}");
        return 2;
    }
});
return await root.Parse(args).InvokeAsync();

// System.CommandLine has no parser of its own for Uri.
static Option<Uri> Address(string name, string description, Uri fallback) => new(name)
{
    Description = description,
    DefaultValueFactory = _ => fallback,
    CustomParser = result =>
    {
        var text = result.Tokens.Single().Value;
        if (Uri.TryCreate(text, UriKind.Absolute, out var address) && address.Scheme is "http" or "https")
        {
            return address;
        }
        result.AddError($"{name} must be an absolute http(s) URL, not '{text}'.");
        return fallback;
    },
};

using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Arbitration.Service;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Order.Service;
using Platform.Console;
using Platform.Contracts.Trade.V1;
using Platform.ServiceDefaults;
using Platform.ServiceDefaults.Identity;
using Platform.Testing;
using RepairDispatch.Service;
using Warranty.Service;

namespace Platform.Console.Tests;

/// <summary>
/// The four services and the console in this process on one test environment, a headless Chromium, one client
/// per role registered with the issuer, and a small world of orders the tests look at: a case awaiting a
/// ruling, a case awaiting its respondent, a claim awaiting its merchant and a repair job awaiting its callback.
/// </summary>
public sealed class ConsoleWorld : IAsyncLifetime
{
    // Generous: the machine is shared, and seeding waits on four services and the broker.
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);
    public const string Secret = "console-test-secret-0123456789";
    public const string Provider = "acme-repairs";

    private readonly string run = Guid.NewGuid().ToString("N")[..8];
    private IPlaywright playwright = null!;
    private Microsoft.AspNetCore.Builder.WebApplication console = null!;

    public TestEnvironment Env { get; private set; } = null!;
    public Dictionary<string, RunningService> Services { get; } = new(StringComparer.Ordinal);
    public BusProbe Probe { get; private set; } = null!;
    public IBrowser Browser { get; private set; } = null!;
    public Uri ConsoleAddress { get; private set; } = null!;

    /// <summary>An order line whose claim the merchant refused and the buyer escalated; the merchant has answered, so an arbitrator may rule.</summary>
    public (string OrderId, Guid ClaimId, Guid CaseId) Ruled { get; private set; }

    /// <summary>The same, but the merchant has not answered: the case waits for its respondent.</summary>
    public (string OrderId, Guid ClaimId, Guid CaseId) Waiting { get; private set; }

    /// <summary>An order line with a claim waiting for the merchant's answer.</summary>
    public (string OrderId, Guid ClaimId) Awaiting { get; private set; }

    /// <summary>An order line whose repair under the national joint warranty was dispatched to the provider.</summary>
    public (string OrderId, Guid ClaimId) Repair { get; private set; }

    public async Task InitializeAsync()
    {
        // 600 times real time: the merchant's 48 h last 4.8 min, the respondent's 72 h 7.2 min, the callback's 24 h
        // 2.4 min, all longer than the tests; a business day still passes in 2.4 min for the board's "time left".
        Env = await TestEnvironment.Create(clockSpeed: 600);
        // The repair order was shipped 20 days ago: with the default 10 days its automatic confirmation is long due when
        // its trade events arrive, and, handled before the buyer's own confirmation, it would complete the order 10 days ago,
        // inside the replacement window. The world needs the buyer's confirmation to be the one that counts.
        Services["order"] = await RunningService.Start(OrderService.Create, Env, "order", configure: null, "--Order:AutoConfirmAfter=30.00:00:00");
        Services["warranty"] = await RunningService.Start(WarrantyService.Create, Env, "warranty");
        Services["repairdispatch"] = await RunningService.Start(RepairDispatchService.Create, Env, "repairdispatch", configure: null,
            $"--RepairDispatch:Providers:0:Id={Provider}", "--RepairDispatch:Providers:0:Regions:0=310000",
            "--RepairDispatch:Providers:0:Categories:0=phones", "--RepairDispatch:Providers:0:Capacity=10");
        Services["arbitration"] = await RunningService.Start(ArbitrationService.Create, Env, "arbitration");
        Probe = await BusProbe.Start(Env);

        console = await StartConsole();
        ConsoleAddress = AddressOf(console);

        foreach (var (role, party) in new[] { (PlatformRoles.CustomerService, "cs-1"), (PlatformRoles.Arbitrator, "arb-1"), (PlatformRoles.Operator, "ops-1"),
                     (PlatformRoles.Merchant, Merchant), (PlatformRoles.Provider, Provider) })
        {
            await Env.Tokens.Register(ClientId(role), new ClientRegistration(Secret, role, party, IssuerProtocol.ServiceAudiences));
        }

        playwright = await Playwright.CreateAsync();
        Browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            // Playwright cannot download its own browser here: Debian's chromium (deploy/test.sh installs it).
            ExecutablePath = Environment.GetEnvironmentVariable("PLATFORM_CHROMIUM") ?? "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox"],
        });

        await Seed();
    }

    public string Merchant => $"merchant-{run}";
    public string Buyer => $"buyer-{run}";

    public string ClientId(string role) => $"console-{role}-{run}";

    /// <summary>A console on the world's services, clock and issuer; later arguments override earlier ones. The caller stops it.</summary>
    public async Task<Microsoft.AspNetCore.Builder.WebApplication> StartConsole(params string[] settings)
    {
        var app = ConsoleHost.Create([
            "--urls=http://127.0.0.1:0",
            "--Logging:LogLevel:Default=Warning",
            "--Console:BoardRefreshSeconds=1",
            $"--PLATFORM_CONSOLE_ORDER_URL={Services["order"].Address}",
            $"--PLATFORM_CONSOLE_WARRANTY_URL={Services["warranty"].Address}",
            $"--PLATFORM_CONSOLE_REPAIRDISPATCH_URL={Services["repairdispatch"].Address}",
            $"--PLATFORM_CONSOLE_ARBITRATION_URL={Services["arbitration"].Address}",
            $"--PLATFORM_CLOCK_SPEED={Env.Clock!.Speed.ToString(CultureInfo.InvariantCulture)}",
            $"--PLATFORM_CLOCK_ORIGIN={Env.Clock.Origin:O}",
            .. Env.Issuer.ServiceArguments,
            .. settings,
        ]);
        await app.StartAsync();
        return app;
    }

    public static Uri AddressOf(Microsoft.AspNetCore.Builder.WebApplication console) =>
        new(console.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    public HttpClient As(string service, string role, string party) => Services[service].As(role, party);

    /// <summary>A browser page signed in as the role's client, on the world's console or the one given.</summary>
    public async Task<IPage> SignedIn(string role, Uri? console = null)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = (console ?? ConsoleAddress).ToString(), ViewportSize = new ViewportSize { Width = 1366, Height = 900 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/");
        await page.GetByLabel("Client id").FillAsync(ClientId(role));
        await page.GetByLabel("Secret").FillAsync(Secret);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("signed-in-as")).ToContainTextAsync(role);
        return page;
    }

    private async Task Seed()
    {
        Ruled = await Dispute($"o-{run}-ruled", merchantAnswers: true);
        Waiting = await Dispute($"o-{run}-waiting", merchantAnswers: false);
        var awaiting = $"o-{run}-awaiting";
        await CompleteOrder(awaiting);
        Awaiting = (awaiting, await FileClaim(awaiting, "Return"));
        var repair = $"o-{run}-repair";
        // Past the return and replacement windows, a repair falls to the brand's statutory repair: a job for a provider.
        await CompleteOrder(repair, daysAgo: 20);
        Repair = (repair, await FileClaim(repair, "Repair"));
        var provider = As("repairdispatch", PlatformRoles.Provider, Provider);
        await Eventually.Until(async () => (await Json(await provider.GetAsync($"/jobs?orderId={repair}"))).GetProperty("items").GetArrayLength() == 1,
            Deadline, "the approved repair is dispatched to the provider");
    }

    private async Task<(string, Guid, Guid)> Dispute(string orderId, bool merchantAnswers)
    {
        await CompleteOrder(orderId);
        var claimId = await FileClaim(orderId, "Return");
        await Json(await As("warranty", PlatformRoles.Merchant, Merchant).PostAsJsonAsync($"/claims/{claimId}/refuse", new { reason = "The screen was cracked by a fall." }));
        await Json(await As("warranty", PlatformRoles.Buyer, Buyer).PostAsJsonAsync($"/claims/{claimId}/escalate", new { statement = "It flickered before any fall." }));
        var arbitrator = As("arbitration", PlatformRoles.Arbitrator, "arb-1");
        Guid caseId = default;
        await Eventually.Until(async () =>
        {
            var items = (await Json(await arbitrator.GetAsync($"/cases?claimId={claimId}"))).GetProperty("items");
            caseId = items.GetArrayLength() == 1 ? items[0].GetProperty("caseId").GetGuid() : default;
            return caseId != default;
        }, Deadline, "the escalation opens a case");
        if (merchantAnswers)
        {
            await Json(await As("arbitration", PlatformRoles.Merchant, Merchant).PostAsJsonAsync($"/cases/{caseId}/evidence", new { statement = "Photos of the cracked screen at return." }));
        }
        return (orderId, claimId, caseId);
    }

    /// <summary>A phone with a 12-month national joint warranty and a 1-year extended plan, completed <paramref name="daysAgo"/> days ago.</summary>
    public async Task CompleteOrder(string orderId, int daysAgo = 0)
    {
        var at = Env.TimeProvider.GetUtcNow().AddDays(-daysAgo);
        var line = new OrderLine
        {
            LineId = "L1", Sku = "SKU-PHONE-9", Title = "Phone 15 Pro, 512 GB", Category = "phones", Brand = "Acme", UnitPrice = 7999m, Quantity = 1,
            ManufacturerWarrantyMonths = 12, MerchantWarrantyMonths = 0,
            ExtendedWarranty = new ExtendedWarrantyPurchase { PlanYears = 1, PricePaid = 299m, IncludesAccidentalDamage = false },
        };
        await Probe.Publish(new OrderPlaced { OrderId = orderId, BuyerId = Buyer, MerchantId = Merchant, ShippingRegion = "310000", Lines = [line], PlacedAt = at });
        await Probe.Publish(new OrderPaid { OrderId = orderId, PaidAt = at });
        await Probe.Publish(new OrderShipped { OrderId = orderId, ShippedAt = at });
        await Probe.Publish(new OrderDelivered { OrderId = orderId, DeliveredAt = at });
        await Probe.Publish(new OrderReceiptConfirmed { OrderId = orderId, ConfirmedAt = at });
        var buyer = As("warranty", PlatformRoles.Buyer, Buyer);
        await Eventually.Until(async () => (await buyer.GetAsync($"/warranties/{orderId}/L1")).StatusCode == HttpStatusCode.OK, Deadline, "the order completes and its line is covered");
    }

    private async Task<Guid> FileClaim(string orderId, string remedy)
    {
        var filed = await Json(await As("warranty", PlatformRoles.Buyer, Buyer).PostAsJsonAsync("/claims",
            new { orderId, lineId = "L1", fault = "QualityFault", faultDescription = "The screen flickers.", remedyAsked = remedy }));
        return filed.GetProperty("claimId").GetGuid();
    }

    public static async Task<JsonElement> Json(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    public async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        playwright.Dispose();
        await console.StopAsync();
        await console.DisposeAsync();
        await Probe.DisposeAsync();
        foreach (var service in Services.Values)
        {
            await service.DisposeAsync();
        }
        await Env.DisposeAsync();
    }
}

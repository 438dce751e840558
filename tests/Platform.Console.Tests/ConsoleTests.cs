using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Platform.Contracts.Orders.V1;
using Platform.ServiceDefaults;
using Platform.Testing;

namespace Platform.Console.Tests;

/// <summary>
/// The console in a real headless Chromium against the four services on real PostgreSQL and RabbitMQ: each role
/// signs in with its client, and what each screen shows is checked against what the APIs answer that role.
/// </summary>
public sealed class ConsoleTests(ConsoleWorld world) : IClassFixture<ConsoleWorld>
{
    [Fact]
    public async Task Each_role_signs_in_with_its_client_and_sees_the_screens_its_role_has()
    {
        var operatorPage = await world.SignedIn(PlatformRoles.Operator);
        await Assertions.Expect(operatorPage.GetByRole(AriaRole.Link, new() { Name = "运维 Operations" })).ToBeVisibleAsync();
        await Assertions.Expect(operatorPage.GetByRole(AriaRole.Link, new() { Name = "服务商 Providers" })).ToBeVisibleAsync();

        var service = await world.SignedIn(PlatformRoles.CustomerService);
        await Assertions.Expect(service.GetByRole(AriaRole.Link, new() { Name = "时限 Deadlines" })).ToBeVisibleAsync();
        await Assertions.Expect(service.GetByRole(AriaRole.Link, new() { Name = "运维 Operations" })).ToHaveCountAsync(0);
        await service.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await service.GotoAsync("/deadlines");
        await Assertions.Expect(service.GetByLabel("Client id")).ToBeVisibleAsync();

        var stranger = await world.Browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = world.ConsoleAddress.ToString() });
        await stranger.GotoAsync("/operations");
        await stranger.GetByLabel("Client id").FillAsync(world.ClientId(PlatformRoles.Operator));
        await stranger.GetByLabel("Secret").FillAsync("not-the-secret-at-all");
        await stranger.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(stranger.GetByRole(AriaRole.Alert)).ToContainTextAsync("refused this client id and secret");
    }

    [Fact]
    public async Task Search_finds_the_order_and_its_timeline_shows_what_the_APIs_say()
    {
        var page = await world.SignedIn(PlatformRoles.CustomerService);
        await page.GetByLabel("Order, claim, job or case id").FillAsync(world.Waiting.OrderId);
        await page.GetByLabel("Order, claim, job or case id").PressAsync("Enter");
        await page.GetByTestId("search-results").GetByRole(AriaRole.Link, new() { Name = $"{world.Waiting.OrderId} / L1" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("order-id")).ToHaveTextAsync(world.Waiting.OrderId);

        var file = await ConsoleWorld.Json(await world.As("warranty", PlatformRoles.CustomerService, "cs-1").GetAsync($"/warranties/{world.Waiting.OrderId}/L1"));
        var bars = page.GetByTestId("coverage-bar");
        foreach (var coverage in file.GetProperty("coverages").EnumerateArray())
        {
            var period = coverage.GetProperty("period");
            var bar = bars.And(page.Locator($"[data-kind='{coverage.GetProperty("kind").GetString()}']"));
            await Assertions.Expect(bar).ToHaveAttributeAsync("data-first-day", period.GetProperty("firstDay").GetString()!);
            await Assertions.Expect(bar).ToHaveAttributeAsync("data-last-day", period.GetProperty("lastDay").GetString()!);
        }
        Assert.True(file.GetProperty("coverages").GetArrayLength() >= 4, "a phone with a national warranty and a plan has at least four coverages");

        var order = await ConsoleWorld.Json(await world.As("order", PlatformRoles.CustomerService, "cs-1").GetAsync($"/orders/{world.Waiting.OrderId}"));
        await Assertions.Expect(page.GetByTestId("trade-events").Locator("li")).ToHaveCountAsync(order.GetProperty("timeline").GetArrayLength());

        var claim = await ConsoleWorld.Json(await world.As("warranty", PlatformRoles.CustomerService, "cs-1").GetAsync($"/claims/{world.Waiting.ClaimId}"));
        var shown = page.Locator($"#claim-{world.Waiting.ClaimId}");
        Assert.Equal("Escalated", claim.GetProperty("status").GetString());
        await Assertions.Expect(shown.GetByTestId("claim-status")).ToHaveTextAsync("已申诉 · escalated");
        await Assertions.Expect(shown.GetByTestId("decision")).ToContainTextAsync("approved");
        await Assertions.Expect(page.Locator($"#case-{world.Waiting.CaseId}").GetByTestId("case-status")).ToContainTextAsync("awaiting the respondent");

        // A claim id finds the same timeline.
        await page.GotoAsync($"/?id={world.Repair.ClaimId}");
        await page.GetByTestId("search-results").GetByRole(AriaRole.Link).First.ClickAsync();
        await Assertions.Expect(page.GetByTestId("order-id")).ToHaveTextAsync(world.Repair.OrderId);
        await Assertions.Expect(page.GetByTestId("attempt")).ToContainTextAsync(ConsoleWorld.Provider);
    }

    [Fact]
    public async Task An_arbitrator_rules_a_case_from_its_timeline()
    {
        var page = await world.SignedIn(PlatformRoles.Arbitrator);
        await page.GotoAsync($"/?id={world.Ruled.CaseId}");
        await page.GetByTestId("search-results").GetByRole(AriaRole.Link, new() { Name = world.Ruled.CaseId.ToString() }).ClickAsync();
        var @case = page.Locator($"#case-{world.Ruled.CaseId}");
        await @case.GetByLabel("Remedy for the buyer").SelectOptionAsync("Replacement");
        await @case.GetByLabel("Rationale").FillAsync("The flicker shows in the unboxing video.");
        await @case.GetByRole(AriaRole.Button, new() { Name = "Rule 裁决" }).ClickAsync();

        await Assertions.Expect(page.GetByTestId("notice")).ToContainTextAsync("Ruled for the buyer");
        await Assertions.Expect(page.Locator($"#case-{world.Ruled.CaseId}").GetByTestId("ruling")).ToContainTextAsync("换货 · replacement");
        var ruled = await ConsoleWorld.Json(await world.As("arbitration", PlatformRoles.Arbitrator, "arb-1").GetAsync($"/cases/{world.Ruled.CaseId}"));
        Assert.Equal(("Replacement", "arb-1"), (ruled.GetProperty("ruling").GetProperty("remedy").GetString(), ruled.GetProperty("ruling").GetProperty("arbitratorId").GetString()));
    }

    [Fact]
    public async Task A_role_that_may_not_rule_sees_no_button_and_a_forged_ruling_is_refused_by_the_API()
    {
        var page = await world.SignedIn(PlatformRoles.Merchant);
        await page.GotoAsync($"/timeline/{world.Waiting.OrderId}/L1");
        await Assertions.Expect(page.Locator($"#case-{world.Waiting.CaseId}")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("rule-form")).ToHaveCountAsync(0);

        // The form the console would have drawn, posted anyway with the page's own antiforgery token.
        await page.EvaluateAsync(@"([caseId, orderId]) => {
            const form = document.createElement('form');
            form.method = 'post';
            form.action = location.pathname + '?handler=Rule';
            const fields = { orderId, lineId: 'L1', caseId, inFavourOf: 'Respondent', rationale: 'forged', key: crypto.randomUUID(),
                __RequestVerificationToken: document.querySelector('input[name=__RequestVerificationToken]').value };
            for (const [name, value] of Object.entries(fields)) {
                const input = document.createElement('input');
                input.type = 'hidden'; input.name = name; input.value = value;
                form.appendChild(input);
            }
            document.body.appendChild(form);
            form.submit();
        }", new[] { world.Waiting.CaseId.ToString(), world.Waiting.OrderId });
        await Assertions.Expect(page.GetByTestId("refusal")).ToContainTextAsync("Your role may not do this");

        using var forged = await world.As("arbitration", PlatformRoles.Merchant, world.Merchant).PostAsJsonAsync($"/cases/{world.Waiting.CaseId}/ruling",
            new { inFavourOf = "Respondent", rationale = "forged" });
        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
        var still = await ConsoleWorld.Json(await world.As("arbitration", PlatformRoles.Arbitrator, "arb-1").GetAsync($"/cases/{world.Waiting.CaseId}"));
        Assert.Equal(JsonValueKind.Null, still.GetProperty("ruling").ValueKind);
    }

    [Fact]
    public async Task The_deadlines_board_counts_what_the_worklists_list_and_follows_them_live()
    {
        var page = await world.SignedIn(PlatformRoles.Merchant);
        await page.GotoAsync("/deadlines");
        var merchantClaims = world.As("warranty", PlatformRoles.Merchant, world.Merchant);
        await Assertions.Expect(page.GetByTestId("count-claims")).ToHaveTextAsync((await Count(merchantClaims, "/claims?status=AwaitingMerchant")).ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Assertions.Expect(page.GetByTestId("count-cases")).ToHaveTextAsync((await Count(world.As("arbitration", PlatformRoles.Merchant, world.Merchant), "/cases?status=AwaitingRespondent")).ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Assertions.Expect(page.GetByTestId("board-claims")).ToContainTextAsync(world.Awaiting.OrderId);

        // A new claim for this merchant shows on the open board without a reload.
        var before = await Count(merchantClaims, "/claims?status=AwaitingMerchant");
        var orderId = $"{world.Awaiting.OrderId}-live";
        await world.CompleteOrder(orderId);
        await ConsoleWorld.Json(await world.As("warranty", PlatformRoles.Buyer, world.Buyer).PostAsJsonAsync("/claims",
            new { orderId, lineId = "L1", fault = "DeadOnArrival", faultDescription = "It does not switch on.", remedyAsked = "Return" }));
        await Assertions.Expect(page.GetByTestId("count-claims")).ToHaveTextAsync((before + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Assertions.Expect(page.GetByTestId("board-claims")).ToContainTextAsync(orderId);

        var operatorPage = await world.SignedIn(PlatformRoles.Operator);
        await operatorPage.GotoAsync("/deadlines");
        var jobs = await Count(world.As("repairdispatch", PlatformRoles.Operator, "ops-1"), "/operations/jobs?awaitingCallback=true");
        Assert.True(jobs >= 1, "the repair job waits for its callback");
        await Assertions.Expect(operatorPage.GetByTestId("count-jobs")).ToHaveTextAsync(jobs.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Assertions.Expect(operatorPage.GetByTestId("board-jobs")).ToContainTextAsync(world.Repair.OrderId);
    }

    [Fact]
    public async Task An_operator_moves_a_dead_lettered_message_back_and_the_service_then_handles_it()
    {
        // An OrderCompleted that Warranty failed on while its database was away, as MassTransit leaves it in _error.
        var orderId = $"o-dead-{Guid.NewGuid():N}";
        var endpoint = await world.Probe.Bus.GetSendEndpoint(new Uri("queue:warranty-order-completed_error"));
        await endpoint.Send(new OrderCompleted
        {
            OrderId = orderId, BuyerId = world.Buyer, MerchantId = world.Merchant, ShippingRegion = "310000",
            CompletedAt = world.Env.TimeProvider.GetUtcNow(), ConfirmedBy = ReceiptConfirmedBy.Buyer,
            Lines = [new CompletedOrderLine { LineId = "L1", Sku = "SKU-KETTLE", Title = "Kettle", Category = "home-appliances", Brand = "Acme", UnitPrice = 199m, Quantity = 1, ManufacturerWarrantyMonths = 12, MerchantWarrantyMonths = 0, Refunded = false }],
        }, context =>
        {
            context.Headers.Set("MT-Fault-Message", "The database was unavailable (57P01: terminating connection).");
            context.Headers.Set("MT-Fault-ExceptionType", "Npgsql.PostgresException");
        });

        var page = await world.SignedIn(PlatformRoles.Operator);
        await page.GotoAsync("/operations");
        var queue = page.Locator("[data-queue='warranty-order-completed_error']");
        await Assertions.Expect(queue.GetByTestId("dead-letter-reason")).ToContainTextAsync("The database was unavailable");
        await Assertions.Expect(page.GetByTestId("lag").First).ToContainTextAsync("outbox lag");
        await queue.GetByRole(AriaRole.Button, new() { Name = "Move back to warranty-order-completed" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("notice")).ToContainTextAsync("Moved 1 message(s) from warranty-order-completed_error back to warranty-order-completed");

        var buyer = world.As("warranty", PlatformRoles.Buyer, world.Buyer);
        await Eventually.Until(async () => (await buyer.GetAsync($"/warranties/{orderId}/L1")).StatusCode == HttpStatusCode.OK,
            ConsoleWorld.Deadline, "Warranty handles the message moved back and activates the line");
        using var asMerchant = await world.As("warranty", PlatformRoles.Merchant, world.Merchant).GetAsync("/operations/dead-letters");
        Assert.Equal(HttpStatusCode.Forbidden, asMerchant.StatusCode);
    }

    [Fact]
    public async Task Customer_service_files_a_claim_for_the_buyer_and_a_refusal_reads_in_plain_words()
    {
        var orderId = $"o-cs-{Guid.NewGuid():N}";
        await world.CompleteOrder(orderId);
        var page = await world.SignedIn(PlatformRoles.CustomerService);
        await page.GotoAsync($"/timeline/{orderId}/L1");

        await page.GetByText("Ask to reopen the after-sales entry").ClickAsync();
        await page.GetByLabel("Description 描述").Last.FillAsync("It rattles.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Ask to reopen 提交" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("refusal")).ToContainTextAsync("The after-sales entry is still open");

        await page.GetByText($"File a claim for buyer {world.Buyer}").ClickAsync();
        await page.GetByLabel("Remedy asked").SelectOptionAsync("Replacement");
        await page.GetByLabel("Description 描述").First.FillAsync("The battery swells.");
        await page.GetByRole(AriaRole.Button, new() { Name = "File the claim 提交" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("notice")).ToContainTextAsync("Claim filed and approved: Replacement");
        var claims = await ConsoleWorld.Json(await world.As("warranty", PlatformRoles.CustomerService, "cs-1").GetAsync($"/claims?orderId={orderId}"));
        var claimId = claims.GetProperty("items")[0].GetProperty("claimId").GetString();
        await Assertions.Expect(page.GetByTestId("claim-id")).ToHaveTextAsync(claimId!);
    }

    [Fact]
    public async Task An_operator_suspends_and_reactivates_a_provider_whose_scorecard_is_the_APIs()
    {
        var page = await world.SignedIn(PlatformRoles.Operator);
        await page.GotoAsync("/providers");
        var row = page.Locator($"[data-provider='{ConsoleWorld.Provider}']");
        var card = await ConsoleWorld.Json(await world.As("repairdispatch", PlatformRoles.Operator, "ops-1").GetAsync($"/providers/{ConsoleWorld.Provider}/scorecard"));
        await Assertions.Expect(row.GetByTestId("provider-breaches")).ToHaveTextAsync(card.GetProperty("breaches").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture));

        await row.GetByLabel($"Reason to suspend {ConsoleWorld.Provider}").FillAsync("Audit of missed calls");
        await row.GetByRole(AriaRole.Button, new() { Name = "Suspend 暂停" }).ClickAsync();
        await Assertions.Expect(row.GetByTestId("provider-status")).ToContainTextAsync("suspended");
        await row.GetByRole(AriaRole.Button, new() { Name = "Reactivate 恢复" }).ClickAsync();
        await Assertions.Expect(row.GetByTestId("provider-status")).ToContainTextAsync("active");

        var provider = await world.SignedIn(PlatformRoles.Provider);
        await provider.GotoAsync("/providers");
        await Assertions.Expect(provider.GetByTestId("provider")).ToHaveCountAsync(1);
        await Assertions.Expect(provider.GetByRole(AriaRole.Button, new() { Name = "Suspend 暂停" })).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task A_person_signs_in_and_reaches_a_screen_by_keyboard_alone()
    {
        var page = await world.Browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = world.ConsoleAddress.ToString() });
        await page.GotoAsync("/signin");
        await page.Keyboard.PressAsync("Tab");
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Skip to content" })).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Tab");
        await Assertions.Expect(page.GetByLabel("Client id")).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync(world.ClientId(PlatformRoles.Operator));
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.TypeAsync(ConsoleWorld.Secret);
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.GetByTestId("signed-in-as")).ToContainTextAsync(PlatformRoles.Operator);

        // The skip link, then Search, Deadlines, Providers and Operations.
        foreach (var _ in Enumerable.Range(0, 5))
        {
            await page.Keyboard.PressAsync("Tab");
        }
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "运维 Operations" })).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "运维 Operations" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task A_revoked_client_is_told_its_sign_in_lapsed_and_sees_nothing_more()
    {
        var clientId = $"console-revoked-{Guid.NewGuid():N}";
        await world.Env.Tokens.Register(clientId, new Platform.ServiceDefaults.Identity.ClientRegistration(ConsoleWorld.Secret, PlatformRoles.Operator, "ops-2",
            Platform.ServiceDefaults.Identity.IssuerProtocol.ServiceAudiences));
        var page = await world.Browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = world.ConsoleAddress.ToString() });
        await page.GotoAsync("/");
        await page.GetByLabel("Client id").FillAsync(clientId);
        await page.GetByLabel("Secret").FillAsync(ConsoleWorld.Secret);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.GotoAsync("/providers");
        await Assertions.Expect(page.GetByTestId("provider").First).ToBeVisibleAsync();

        await world.Env.Tokens.Remove(clientId);
        await Eventually.Until(async () =>
        {
            await page.GotoAsync("/providers");
            return await page.GetByText("Your sign-in has lapsed or was revoked").CountAsync() > 0;
        }, ConsoleWorld.Deadline, "the services refuse the revoked client's tokens and the console says so");
        await Assertions.Expect(page.GetByTestId("provider")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task A_session_idle_longer_than_the_configured_time_must_sign_in_again()
    {
        await using var console = await world.StartConsole("--Console:SessionIdle=00:00:03");
        var page = await world.SignedIn(PlatformRoles.Operator, ConsoleWorld.AddressOf(console));
        await page.GotoAsync("/providers");
        await Assertions.Expect(page.GetByTestId("provider").First).ToBeVisibleAsync();

        // Compacting drops only the entries already expired and reads none: looking the session up would keep it alive.
        var sessions = (MemoryCache)console.Services.GetRequiredService<IMemoryCache>();
        await Eventually.Until(() =>
        {
            sessions.Compact(0);
            return sessions.Count == 0;
        }, TimeSpan.FromSeconds(30), "the session idle for 3 s ends (the default 8 h would not)");
        await page.GotoAsync("/providers");
        await Assertions.Expect(page.GetByLabel("Client id")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("provider")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task A_service_that_does_not_answer_within_the_configured_timeout_reads_as_unavailable()
    {
        // The system accepts connections to it, and nothing ever answers them.
        using var silent = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        await using var console = await world.StartConsole("--Console:ApiTimeoutSeconds=1",
            $"--PLATFORM_CONSOLE_ORDER_URL=http://127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}/");
        var page = await world.SignedIn(PlatformRoles.Operator, ConsoleWorld.AddressOf(console));

        // The screen calls Order three times: at the default 15 s each it would not load within 20 s.
        await page.GotoAsync("/operations", new() { Timeout = 20_000 });
        await Assertions.Expect(page.GetByText("The service is unavailable right now").First).ToBeVisibleAsync();
    }

    private static async Task<int> Count(HttpClient client, string path)
    {
        var count = 0;
        string? cursor = null;
        do
        {
            var page = await ConsoleWorld.Json(await client.GetAsync(cursor is null ? path : $"{path}&cursor={Uri.EscapeDataString(cursor)}"));
            count += page.GetProperty("items").GetArrayLength();
            cursor = page.TryGetProperty("nextCursor", out var next) && next.ValueKind == JsonValueKind.String ? next.GetString() : null;
        }
        while (cursor is not null);
        return count;
    }
}

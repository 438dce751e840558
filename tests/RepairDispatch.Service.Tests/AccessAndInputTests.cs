using System.Net;
using System.Net.Http.Json;
using System.Text;
using Platform.Contracts.Repair.V1;
using Platform.ServiceDefaults;
using Platform.Testing;
using RepairDispatch.Domain;
using RepairDispatch.Service.ReadModels;

namespace RepairDispatch.Service.Tests;

/// <summary>Who may call what, and what bad input gets: 401, 403, 400, 404 and 409 problems, never a 500.</summary>
public sealed class AccessAndInputTests : IAsyncLifetime
{
    private readonly ConsumedMessages consumed = new();
    private TestEnvironment env = null!;
    private RunningService service = null!;
    private BusProbe probe = null!;

    public async Task InitializeAsync()
    {
        env = await TestEnvironment.Create();
        service = await Repair.Start(env, consumed);
        probe = await BusProbe.Start(env);
        await probe.Observe<ProviderSuspended>();
    }

    public async Task DisposeAsync()
    {
        await probe.DisposeAsync();
        await service.DisposeAsync();
        await env.DisposeAsync();
    }

    private static object Terms(string? id, int capacity = 2) => new { id, regions = new[] { "GD" }, categories = new[] { "phone" }, capacity };

    [Fact]
    public async Task Without_a_token_every_endpoint_answers_401()
    {
        using var anonymous = service.Anonymous();
        var id = Guid.NewGuid();
        foreach (var response in new[]
                 {
                     await anonymous.GetAsync("/providers"), await anonymous.PostAsJsonAsync("/providers", Terms("x")),
                     await anonymous.GetAsync("/providers/x/scorecard"), await anonymous.GetAsync("/jobs"),
                     await anonymous.GetAsync($"/jobs/{id}"), await anonymous.PostAsync($"/jobs/{id}/accept", null),
                 })
        {
            using (response)
            {
                Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            }
        }
    }

    [Theory]
    [InlineData(PlatformRoles.Provider)]
    [InlineData(PlatformRoles.Buyer)]
    [InlineData(PlatformRoles.Arbitrator)]
    public async Task Only_operators_manage_providers(string role)
    {
        var id = Repair.Unique("p");
        await service.RegisterProvider(id, "GD");
        using var client = service.As(role, id);
        foreach (var response in new[]
                 {
                     await client.GetAsync("/providers"), await client.GetAsync($"/providers/{id}"),
                     await client.Post("/providers", Terms(Repair.Unique("p"))),
                     await client.PutAsJsonAsync($"/providers/{id}", Terms(null)),
                     await client.Post($"/providers/{id}/suspend", new { reason = "because" }),
                     await client.Post($"/providers/{id}/reactivate"),
                 })
        {
            using (response)
            {
                await response.Problem(HttpStatusCode.Forbidden);
            }
        }
    }

    [Fact]
    public async Task Only_providers_read_and_report_on_jobs_and_a_scorecard_is_for_operators_and_its_provider()
    {
        var id = Repair.Unique("p");
        await service.RegisterProvider(id, "GD");
        using var buyer = service.As(PlatformRoles.Buyer, "buyer-1");
        using var op = service.As(PlatformRoles.Operator, "operator-1");
        using var itself = service.As(PlatformRoles.Provider, id);
        using var another = service.As(PlatformRoles.Provider, Repair.Unique("p"));
        var job = Guid.NewGuid();

        using (var r = await buyer.GetAsync("/jobs")) { await r.Problem(HttpStatusCode.Forbidden); }
        using (var r = await op.GetAsync($"/jobs/{job}")) { await r.Problem(HttpStatusCode.Forbidden); }
        using (var r = await buyer.Post($"/jobs/{job}/accept")) { await r.Problem(HttpStatusCode.Forbidden); }
        using (var r = await buyer.GetAsync($"/providers/{id}/scorecard")) { await r.Problem(HttpStatusCode.Forbidden); }
        using (var r = await another.GetAsync($"/providers/{id}/scorecard")) { await r.Problem(HttpStatusCode.NotFound); }
        Assert.Equal(id, (await itself.Get<ScorecardView>($"/providers/{id}/scorecard")).ProviderId);
        Assert.Equal(50.0, (await op.Get<ScorecardView>($"/providers/{id}/scorecard")).QualityScore, 3);
    }

    [Fact]
    public async Task Bad_provider_terms_are_refused_naming_the_field()
    {
        using var op = service.As(PlatformRoles.Operator, "operator-1");
        foreach (var (body, field) in new (object, string)[]
                 {
                     (Terms("bad id!"), "id"),
                     (Terms(null), "id"),
                     (Terms(Repair.Unique("p"), capacity: 0), "capacity"),
                     (new { id = Repair.Unique("p"), regions = Array.Empty<string>(), categories = new[] { "phone" }, capacity = 1 }, "regions"),
                     (new { id = Repair.Unique("p"), regions = new[] { "GD" }, categories = new[] { " " }, capacity = 1 }, "categories"),
                 })
        {
            using var response = await op.Post("/providers", body);
            var problem = await response.Problem(HttpStatusCode.BadRequest);
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"{field}: {problem}");
        }
        using var malformed = await op.PostAsync("/providers", new StringContent("{\"id\": ", Encoding.UTF8, "application/json"));
        await malformed.Problem(HttpStatusCode.BadRequest);
        using var wrongType = await op.PostAsync("/providers", new StringContent("{\"id\": \"x\", \"capacity\": \"many\"}", Encoding.UTF8, "application/json"));
        await wrongType.Problem(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_provider_is_registered_once_changed_suspended_and_reactivated()
    {
        var id = Repair.Unique("p");
        using var op = service.As(PlatformRoles.Operator, "operator-1");
        using (var created = await op.Post("/providers", Terms(id)))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            Assert.Equal($"/providers/{id}", created.Headers.Location?.ToString());
        }
        using (var again = await op.Post("/providers", Terms(id)))
        {
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        }
        using (var different = await op.Post("/providers", Terms(id, capacity: 9)))
        {
            Assert.Equal(nameof(RepairDispatchRefusalCode.ProviderAlreadyRegistered), (await different.Problem(HttpStatusCode.Conflict)).GetProperty("code").GetString());
        }
        using (var updated = await op.PutAsJsonAsync($"/providers/{id}", new { regions = new[] { "ZJ", "GD", "ZJ" }, categories = new[] { "tv" }, capacity = 4 }))
        {
            var view = await updated.Read<ProviderView>();
            Assert.Equal(["GD", "ZJ"], view.Regions);
            Assert.Equal((string[])["tv"], view.Categories);
            Assert.Equal(4, view.Capacity);
        }
        using (var missing = await op.PutAsJsonAsync($"/providers/{Repair.Unique("p")}", Terms(null)))
        {
            await missing.Problem(HttpStatusCode.NotFound);
        }
        using (var noReason = await op.Post($"/providers/{id}/suspend", new { }))
        {
            await noReason.Problem(HttpStatusCode.BadRequest);
        }
        using (var suspended = await op.Post($"/providers/{id}/suspend", new { reason = "Complaints under review" }))
        {
            Assert.Equal(ProviderStatus.Suspended, (await suspended.Read<ProviderView>()).Status);
        }
        var published = await probe.WaitFor<ProviderSuspended>(m => m.ProviderId == id, TimeSpan.FromSeconds(30), "the suspension is published");
        Assert.Equal(ProviderSuspensionReason.Operator, published.Reason);
        using (var reactivated = await op.Post($"/providers/{id}/reactivate"))
        {
            Assert.Equal(ProviderStatus.Active, (await reactivated.Read<ProviderView>()).Status);
        }
        Assert.Contains(await op.Get<List<ProviderView>>("/providers"), p => p.ProviderId == id && p.Status == ProviderStatus.Active);
    }

    [Fact]
    public async Task Bad_provider_reports_are_refused_naming_the_field()
    {
        using var provider = service.As(PlatformRoles.Provider, Repair.Unique("p"));
        var path = $"/jobs/{Guid.NewGuid()}";
        foreach (var (action, body, field) in new (string, object?, string)[]
                 {
                     ("decline", new { reason = "" }, "reason"),
                     ("decline", null, "reason"),
                     ("customer-contacted", new { }, "bookedFor"),
                     ("progress", new { progress = " " }, "progress"),
                     ("complete", new { outcome = "1", report = "x" }, "outcome"),
                     ("complete", new { outcome = "Repaired" }, "report"),
                 })
        {
            using var response = await provider.Post($"{path}/{action}", body);
            var problem = await response.Problem(HttpStatusCode.BadRequest);
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"{action}/{field}: {problem}");
        }
        using var longKey = await provider.Post($"{path}/accept", idempotencyKey: new string('k', 201));
        await longKey.Problem(HttpStatusCode.BadRequest);
        using var notAJob = await provider.Post($"{path}/accept");
        await notAJob.Problem(HttpStatusCode.NotFound);
    }
}

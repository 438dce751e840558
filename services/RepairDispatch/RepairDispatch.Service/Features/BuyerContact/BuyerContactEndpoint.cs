using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Platform.EventSourcing;
using Platform.ServiceDefaults;
using Platform.ServiceDefaults.Http;
using RepairDispatch.Domain;
using RepairDispatch.Service.ReadModels;
using RepairDispatch.Service.RepairJobs;

namespace RepairDispatch.Service.Features.BuyerContact;

/// <summary>How the provider the job is with reaches the buyer, for as long as the job is theirs.</summary>
/// <param name="Attempt">The attempt the contact is given under; the number stops reaching the buyer when it ends.</param>
/// <param name="VirtualNumber">A number that reaches the buyer's phone; null when the claim gave no phone.</param>
/// <param name="ServiceAddress">Where the visit or collection takes place; null when the claim gave none.</param>
public sealed record BuyerContactView(Guid JobId, int Attempt, string? VirtualNumber, string? ServiceAddress);

public static class BuyerContactEndpoint
{
    public static WebApplication MapBuyerContact(this WebApplication app)
    {
        app.MapGet("/jobs/{id:guid}/contact", async (Guid id, HttpContext http, RequestPipeline pipeline, RepairJobStream jobs, IVirtualNumbers vendor,
                EventStore store, TimeProvider clock, CancellationToken ct) =>
            {
                var caller = http.GetCaller();
                if (!caller.Is(PlatformRoles.Provider))
                {
                    return Problems.Forbidden("Only the repair provider a job is dispatched to reaches its buyer.");
                }
                var flow = await JobReadModel.FlowOf(store.DataSource, id, ct) ?? id;
                return await pipeline.Run("buyer-contact", async (work, ct) =>
                {
                    // The job's lock is held while a number is bound, so a redispatch waits for the binding and then finds
                    // it to release: a number never outlives the attempt it was bound for.
                    var job = await jobs.Aggregate.LoadFrom(work.Session, RepairJobStream.StreamId(id), ct);
                    var (attempt, refusal) = BuyerContactAccess.Decide(job.State, caller.SubjectId);
                    if (refusal is not null)
                    {
                        return refusal.Is(RepairDispatchRefusalCode.ContactWithdrawn)
                            ? Results.Problem(statusCode: StatusCodes.Status410Gone, title: "Gone", detail: refusal.Reason,
                                extensions: new Dictionary<string, object?> { [Problems.CodeExtension] = refusal.Code })
                            : Problems.Forbidden(refusal.Reason);
                    }
                    var contact = await BuyerContacts.Find(work.Session, id, ct);
                    var number = contact?.Phone is { } phone
                        ? await BuyerContacts.NumberFor(work.Session, vendor, id, attempt!.Number, attempt.ProviderId, phone, clock.GetUtcNow(), ct)
                        : null;
                    return Results.Ok(new BuyerContactView(id, attempt!.Number, number, contact?.Address));
                }, ct, flow);
            })
            .WithName("GetBuyerContact")
            .WithSummary("A virtual number that reaches the buyer and the service address, for the provider the job is dispatched to while it is")
            .WithTags("Provider jobs");
        return app;
    }
}

using MassTransit;
using Platform.Domain;
using Platform.EventSourcing.Pipeline;
using RepairDispatch.Domain;
using RepairDispatch.Service.RepairJobs;
using static RepairDispatch.Domain.RepairJobCommand;
using C = Platform.Contracts.Repair.V1;

namespace RepairDispatch.Service.Features.ProviderReports;

/// <summary>
/// Reports providers send to <see cref="Queue"/>. That endpoint is bound to no exchange: it takes
/// only what is sent to it, never the RepairJobCompleted this service publishes itself.
/// </summary>
[ExcludeFromConfigureEndpoints]
public sealed class ProviderReportConsumer(MessagePipeline pipeline, RepairJobStream jobs, RepairDispatchSettings settings) :
    IConsumer<C.JobAccepted>,
    IConsumer<C.JobDeclined>,
    IConsumer<C.CustomerContacted>,
    IConsumer<C.DeviceReceived>,
    IConsumer<C.RepairProgressReported>,
    IConsumer<C.RepairJobCompleted>
{
    public const string Queue = "repairdispatch-provider-reports";

    public Task Consume(ConsumeContext<C.JobAccepted> context)
    {
        var m = context.Message;
        return Report(context, m.JobId, m.ProviderId, invalid: null, job => new AcceptJob(m.JobId, m.ProviderId, job.Now));
    }

    public Task Consume(ConsumeContext<C.JobDeclined> context)
    {
        var m = context.Message;
        var code = ReportCodes.Domain(m.ReasonCode);
        return Report(context, m.JobId, m.ProviderId, code is null ? ReportCodes.Unknown<DeclineReasonCode>("reasonCode", m.ReasonCode.ToString()) : null,
            job => new DeclineJob(m.JobId, m.ProviderId, m.Reason?.Trim() ?? "", job.Providers, job.Now, code!.Value),
            code is null ? RepairDispatchRefusalCode.UnknownReasonCode : RepairDispatchRefusalCode.InvalidReport);
    }

    public Task Consume(ConsumeContext<C.CustomerContacted> context)
    {
        var m = context.Message;
        return Report(context, m.JobId, m.ProviderId, m.BookedFor == default ? "A contact report needs the time booked with the buyer." : null,
            job => new ReportCustomerContacted(m.JobId, m.ProviderId, m.BookedFor, job.Now));
    }

    public Task Consume(ConsumeContext<C.DeviceReceived> context)
    {
        var m = context.Message;
        return Report(context, m.JobId, m.ProviderId, invalid: null, job => new ReportDeviceReceived(m.JobId, m.ProviderId, job.Now));
    }

    public Task Consume(ConsumeContext<C.RepairProgressReported> context)
    {
        var m = context.Message;
        var code = ReportCodes.Domain(m.ProgressCode);
        var links = m.AttachmentLinks?.Select(link => link?.OriginalString).ToList();
        return Report(context, m.JobId, m.ProviderId,
            code is null ? ReportCodes.Unknown<ProgressCode>("progressCode", m.ProgressCode.ToString()) : ReportCodes.AttachmentProblem(links, settings.MaxAttachmentLinks),
            job => new ReportProgress(m.JobId, m.ProviderId, m.Progress?.Trim() ?? "", job.Now, code!.Value, [.. links?.OfType<string>() ?? []]),
            code is null ? RepairDispatchRefusalCode.UnknownReasonCode : RepairDispatchRefusalCode.InvalidReport);
    }

    public Task Consume(ConsumeContext<C.RepairJobCompleted> context)
    {
        var m = context.Message;
        var invalid = !Enum.IsDefined(m.Outcome) ? $"'{m.Outcome}' is not a repair outcome."
            : string.IsNullOrWhiteSpace(m.Report) ? "A completion needs the provider's report."
            : null;
        return Report(context, m.JobId, m.ProviderId, invalid,
            job => new ReportCompletion(m.JobId, m.ProviderId, ContractMessages.Outcome(m.Outcome), m.Report, job.Now));
    }

    /// <remarks>
    /// The time that counts is this service's clock when the report arrives, not the time written in
    /// the report: a provider must not be able to call itself on time.
    /// </remarks>
    private Task Report<T>(ConsumeContext<T> context, Guid jobId, string? providerId, string? invalid, Func<JobToDecide, RepairJobCommand> command,
        RepairDispatchRefusalCode invalidCode = RepairDispatchRefusalCode.InvalidReport)
        where T : class =>
        pipeline.Consume(context, Queue, async (work, _, ct) =>
            string.IsNullOrWhiteSpace(providerId) ? Refusal.Of(RepairDispatchRefusalCode.MissingProviderId, "A report must name the reporting provider.")
            : invalid is not null ? Refusal.Of(invalidCode, invalid)
            // Kept with the report as sent; for an action on another provider's job the job's stream also records who tried.
            : (await jobs.Handle(work, jobId, opening: null, command, ct)).Refusal);
}

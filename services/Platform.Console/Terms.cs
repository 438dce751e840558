using System.Globalization;
using System.Text.Json;
using Platform.ServiceDefaults.Http;

namespace Platform.Console;

/// <summary>The platform's clock (compressed in runs and tests), by which deadlines pass.</summary>
public sealed record BusinessClock(TimeProvider Time);

/// <summary>
/// The words the console shows: the policy terms in Chinese and English (docs/domain.md's names), instants on the
/// business zone's clock, and an API's refusal in plain words.
/// </summary>
public sealed class Terms(ConsoleSettings settings, BusinessClock clock)
{
    private static readonly Dictionary<string, string> Labels = new(StringComparer.Ordinal)
    {
        ["StatutoryReturn"] = "三包 退货 · return", ["ThreeGuaranteesReturn"] = "三包 退货 · return",
        ["StatutoryReplacement"] = "三包 换货 · replacement", ["ThreeGuaranteesReplacement"] = "三包 换货 · replacement",
        ["StatutoryRepair"] = "三包 维修 · statutory repair", ["ThreeGuaranteesRepair"] = "三包 维修 · statutory repair",
        ["NationalJointWarranty"] = "全国联保 · national joint warranty",
        ["MerchantCommitment"] = "商家承诺 · merchant commitment",
        ["ExtendedWarranty"] = "延保 · extended warranty",
        ["LongDiscovery"] = "售后保 特殊类目 · long discovery",
        ["Entry"] = "售后入口 · after-sales entry",
        ["Entry+Protection"] = "售后入口 (售后保) · entry, protected",
        ["Reopening"] = "售后入口 重开 · entry reopened",
        ["AfterSalesProtection"] = "售后保 · after-sales protection",
        ["Return"] = "退货 · return", ["Replacement"] = "换货 · replacement", ["Repair"] = "维修 · repair",
        ["Refund"] = "退款 · refund", ["RepairAtPlatformCost"] = "平台维修 · repair at the platform's cost",
        ["ReopenEntry"] = "重开售后入口 · reopen the entry", ["Compensation"] = "赔付 · compensation",
        ["Merchant"] = "商家 · merchant", ["Brand"] = "品牌商 · brand", ["ExtendedWarrantyProgramme"] = "延保计划 · extended-warranty programme",
        ["Buyer"] = "买家 · buyer", ["Respondent"] = "被申诉方 · respondent", ["PlatformRepairOperations"] = "平台维修运营 · platform repair operations (兜底)",
        ["QualityFault"] = "质量问题 · quality fault", ["DeadOnArrival"] = "到货即坏 · dead on arrival", ["NotAsDescribed"] = "与描述不符 · not as described",
        ["MissingParts"] = "缺件 · missing parts", ["AccidentalDamage"] = "意外损坏 · accidental damage", ["LongDiscoveryDefect"] = "迟发缺陷 · late-found defect",
        ["EntryClosed"] = "售后入口已关闭 · the after-sales entry is closed", ["OutOfWarranty"] = "不在保修期 · out of warranty",
        ["AccidentalDamageNotCovered"] = "意外损坏不在保障内 · accidental damage not covered", ["NotBuyer"] = "非本单买家 · not the order's buyer",
        ["LineRefunded"] = "已退款 · line refunded", ["ClaimAlreadyOpen"] = "已有进行中的售后 · another claim is open",
        ["AwaitingMerchant"] = "待商家处理 · awaiting the merchant", ["InService"] = "服务中 · in service", ["RefusedByMerchant"] = "商家拒绝 · refused by the merchant",
        ["Escalated"] = "已申诉 · escalated", ["Resolved"] = "已完结 · resolved", ["Rejected"] = "已驳回 · rejected",
        ["AwaitingRespondent"] = "待被申诉方答复 · awaiting the respondent", ["AwaitingRuling"] = "待裁决 · awaiting a ruling", ["Ruled"] = "已裁决 · ruled",
        ["Placed"] = "下单 · placed", ["Paid"] = "付款 · paid", ["Shipped"] = "发货 · shipped", ["Delivered"] = "签收 · delivered",
        ["ReceiptConfirmed"] = "确认收货 · receipt confirmed", ["Completed"] = "交易成功 · transaction succeeded",
        ["Active"] = "正常 · active", ["Suspended"] = "已暂停 · suspended",
        ["InProgress"] = "进行中 · in progress",
        ["JobInProgress"] = "维修中 · in progress", ["JobCompleted"] = "维修完成 · completed", ["JobEscalated"] = "已升级平台 · escalated to the platform",
    };

    /// <summary>Plain words for the refusal codes a console action can meet; any other code shows the API's own reason.</summary>
    private static readonly Dictionary<string, string> Refusals = new(StringComparer.Ordinal)
    {
        ["RespondentStillHasTime"] = "The respondent still has time to answer: a ruling can come once they answer or their 72 hours pass.",
        ["CaseAlreadyRuled"] = "This case already has a different ruling, and a ruling is final.",
        ["NotTheAssignedArbitrator"] = "Another arbitrator is assigned to this case; only they may rule.",
        ["InvalidCompensation"] = "Compensation needs an amount above 0 with at most 2 decimals.",
        ["MissingRationale"] = "A ruling needs a rationale.",
        ["EntryStillOpen"] = "The after-sales entry is still open: file a claim instead of asking to reopen it.",
        ["IdempotencyKeyReused"] = "This form was already sent with other values; reload the page and send it again.",
        ["ConcurrentChange"] = "Someone else changed this at the same moment; try again.",
        ["ProviderAlreadySuspended"] = "The provider is already suspended.",
        ["ProviderNotSuspended"] = "The provider is not suspended.",
    };

    public string Label(string? term) => term is null ? "" : Labels.GetValueOrDefault(term, term);

    public DateTimeOffset Now => clock.Time.GetUtcNow();

    /// <summary>An instant on the business zone's clock, with the zone's offset.</summary>
    public string Time(DateTimeOffset? instant) => instant is { } at
        ? ZonedInstant.Of(at, settings.BusinessTimeZoneId).Local.ToString("yyyy-MM-dd HH:mm zzz", CultureInfo.InvariantCulture)
        : "";

    public string Time(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.TryGetDateTimeOffset(out var at) ? Time(at) : value.GetString() ?? "",
        JsonValueKind.Object when value.TryGetProperty("utc", out var utc) => Time(utc),
        _ => "",
    };

    public string Zone => settings.BusinessTimeZoneId;

    /// <summary>How long until an instant, by the platform's clock, in words ("3 h 12 min left", "passed 40 min ago").</summary>
    public string Left(DateTimeOffset deadline)
    {
        var left = deadline - Now;
        var span = left.Duration();
        var words = span.TotalDays >= 1 ? $"{(int)span.TotalDays} d {span.Hours} h" : span.TotalHours >= 1 ? $"{(int)span.TotalHours} h {span.Minutes} min" : $"{Math.Max(1, (int)span.TotalMinutes)} min";
        return left >= TimeSpan.Zero ? $"{words} left" : $"passed {words} ago";
    }

    /// <summary>An answer that was not a success, in plain words.</summary>
    public static string Explain(ApiAnswer answer)
    {
        string? Field(string name) => answer.Body.ValueKind == JsonValueKind.Object && answer.Body.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        var detail = Field("detail");
        if (Field("code") is { } code)
        {
            return Refusals.TryGetValue(code, out var plain) ? plain : $"{detail ?? "Refused"} ({code})";
        }
        if (answer.Status == 400 && answer.Body.ValueKind == JsonValueKind.Object && answer.Body.TryGetProperty("errors", out var errors))
        {
            return "Please check: " + string.Join(" ", errors.EnumerateObject().SelectMany(e => e.Value.EnumerateArray().Select(m => m.GetString())));
        }
        return answer.Status switch
        {
            0 => "Your sign-in gives you no access to this service.",
            401 => "Your sign-in has lapsed or was revoked: sign in again.",
            403 => $"Your role may not do this. {detail}".TrimEnd(),
            404 => "Not found, or not yours to see.",
            429 => "Too many requests in a short time: wait a few seconds and try again.",
            >= 500 => "The service is unavailable right now: try again shortly.",
            _ => detail ?? $"The service answered {answer.Status}.",
        };
    }
}

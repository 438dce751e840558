using System.Security.Cryptography;
using System.Text;

namespace Platform.EventSourcing;

/// <summary>
/// Ids for scheduled messages of which a subject has one at most (an order's automatic confirmation, a claim's
/// merchant deadline): made from the kind and the subject, so what makes the deadline moot cancels it
/// (<see cref="Session.CancelScheduled"/>) by the same id, without the stream having to remember it. A subject
/// that could have two pending at once must not use one.
/// </summary>
public static class ScheduledMessageIds
{
    public static Guid For(string kind, string subject) =>
        new(SHA256.HashData(Encoding.UTF8.GetBytes($"{kind}/{subject}"))[..16]);
}

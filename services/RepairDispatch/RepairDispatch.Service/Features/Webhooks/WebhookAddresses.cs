using System.Net;
using System.Net.Sockets;

namespace RepairDispatch.Service.Features.Webhooks;

/// <summary>
/// Which addresses a webhook may reach. A provider chooses the URL, so without this the platform would POST on a
/// stranger's word to its own broker's management API, the cloud's metadata service or anything else only the
/// platform's network can see. Only public addresses are reached, unless an operator allows a network
/// (<see cref="WebhookSettings.AllowedNetworks"/>); the check runs on the address actually connected to, so a name
/// that resolves to a public address at registration and to an internal one later gains nothing.
/// </summary>
public sealed class WebhookAddresses
{
    private static readonly IPNetwork[] NotPublic =
    [
        IPNetwork.Parse("0.0.0.0/8"),
        IPNetwork.Parse("10.0.0.0/8"),
        IPNetwork.Parse("100.64.0.0/10"),
        IPNetwork.Parse("127.0.0.0/8"),
        IPNetwork.Parse("169.254.0.0/16"),
        IPNetwork.Parse("172.16.0.0/12"),
        IPNetwork.Parse("192.0.0.0/24"),
        IPNetwork.Parse("192.0.2.0/24"),
        IPNetwork.Parse("192.168.0.0/16"),
        IPNetwork.Parse("198.18.0.0/15"),
        IPNetwork.Parse("198.51.100.0/24"),
        IPNetwork.Parse("203.0.113.0/24"),
        IPNetwork.Parse("224.0.0.0/3"),
        IPNetwork.Parse("::/127"),
        IPNetwork.Parse("64:ff9b:1::/48"),
        IPNetwork.Parse("100::/64"),
        IPNetwork.Parse("2001:db8::/32"),
        IPNetwork.Parse("fc00::/7"),
        IPNetwork.Parse("fe80::/10"),
        IPNetwork.Parse("ff00::/8"),
    ];

    private readonly IReadOnlyList<IPNetwork> allowed;

    public WebhookAddresses(IEnumerable<IPNetwork> allowed) => this.allowed = [.. allowed];

    /// <summary>
    /// The one instance the service keeps, made at start from settings that <see cref="RepairDispatchSettings.From"/>
    /// has checked: a malformed network stops the service there, naming its setting, before any request parses it.
    /// </summary>
    public static WebhookAddresses From(WebhookSettings settings) => new(settings.AllowedNetworks.Select(IPNetwork.Parse));

    /// <summary>Why this address may not be reached; null when it may.</summary>
    public string? Refusal(IPAddress address)
    {
        // An IPv4 address written as IPv6 (::ffff:10.0.0.1) reaches the IPv4 host: judge it as that.
        var judged = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        if (allowed.Any(n => n.Contains(judged)) || !NotPublic.Any(n => n.Contains(judged)))
        {
            return null;
        }
        return $"{judged} is not a public address, and no allowed network (RepairDispatch:Webhooks:AllowedNetworks) holds it.";
    }

    /// <summary>
    /// Connects to the first address of the host that may be reached: the handler's connect step, so that every
    /// connection of every attempt, redirect-free as they are, goes only where <see cref="Refusal"/> allows.
    /// </summary>
    public async ValueTask<Stream> Connect(SocketsHttpConnectionContext context, CancellationToken ct)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, ct);
        var reachable = addresses.Where(a => Refusal(a) is null).ToArray();
        if (reachable.Length == 0)
        {
            var why = addresses.Length == 0 ? "it has no address." : string.Join(" ", addresses.Select(Refusal).Distinct());
            throw new HttpRequestException(HttpRequestError.ConnectionError, $"Not connecting to {host}: {why}");
        }
        for (var i = 0; ; i++)
        {
            var socket = new Socket(reachable[i].AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(reachable[i], context.DnsEndPoint.Port), ct);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException) when (i < reachable.Length - 1)
            {
                socket.Dispose();
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
    }
}

using System.Net;
using System.Net.Sockets;

namespace Platform.Testing;

/// <summary>
/// A TCP proxy in front of a server that a test can stall: while stalled it forwards nothing either
/// way and closes nothing, as a broker that hangs does (a full disk, a stuck node); or sever: it
/// drops every connection and refuses new ones, as a server that went down. No server of the
/// host's is touched; only what the test connects through the proxy is affected.
/// </summary>
public sealed class StallingProxy : IAsyncDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource stop = new();
    private readonly string targetHost;
    private readonly int targetPort;
    private readonly List<TcpClient> clients = [];
    private readonly Task accepting;
    private volatile TaskCompletionSource open = Opened();
    private volatile bool severed;

    public StallingProxy(string targetHost, int targetPort)
    {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        listener.Start();
        accepting = Accept();
    }

    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

    /// <summary>Holds every byte from now on, in both directions, until <see cref="Resume"/>.</summary>
    public void Stall() => open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Resume() => open.TrySetResult();

    /// <summary>Drops every connection and closes each new one at once, until <see cref="Restore"/>.</summary>
    public void Sever()
    {
        severed = true;
        lock (clients)
        {
            foreach (var client in clients)
            {
                client.Dispose();
            }
            clients.Clear();
        }
    }

    public void Restore() => severed = false;

    private static TaskCompletionSource Opened()
    {
        var source = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        source.SetResult();
        return source;
    }

    private async Task Accept()
    {
        while (!stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            if (severed)
            {
                client.Dispose();
                continue;
            }
            var server = new TcpClient();
            lock (clients)
            {
                clients.Add(client);
                clients.Add(server);
            }
            _ = Task.Run(async () =>
            {
                try
                {
                    await server.ConnectAsync(targetHost, targetPort, stop.Token);
                    await Task.WhenAny(Pump(client.GetStream(), server.GetStream()), Pump(server.GetStream(), client.GetStream()));
                }
                catch (Exception e) when (e is OperationCanceledException or SocketException or IOException or ObjectDisposedException)
                {
                }
                finally
                {
                    client.Dispose();
                    server.Dispose();
                }
            });
        }
    }

    private async Task Pump(NetworkStream from, NetworkStream to)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            int read;
            while ((read = await from.ReadAsync(buffer, stop.Token)) > 0)
            {
                await open.Task.WaitAsync(stop.Token);
                await to.WriteAsync(buffer.AsMemory(0, read), stop.Token);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        listener.Stop();
        lock (clients)
        {
            foreach (var client in clients)
            {
                client.Dispose();
            }
        }
        await accepting;
        stop.Dispose();
    }
}

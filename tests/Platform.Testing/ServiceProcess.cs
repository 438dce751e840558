using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Platform.Testing;

/// <summary>
/// A service run as its own operating-system process from its built assembly, as in production:
/// the end-to-end tests start four of these and can kill any of them.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly ConcurrentQueue<string> output = new();

    private ServiceProcess(Process process, Uri address)
    {
        this.process = process;
        Address = address;
    }

    public Uri Address { get; }
    public string Output => string.Join('\n', output.TakeLast(200));
    public bool HasExited => process.HasExited;

    /// <param name="assembly">The service's dll, e.g. Warranty.Service.dll beside the test assembly.</param>
    public static async Task<ServiceProcess> Start(string assembly, IEnumerable<string> arguments, TimeSpan readyWithin)
    {
        var port = FreePort();
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, assembly));
        foreach (var argument in arguments.Where(a => !a.StartsWith("--urls=", StringComparison.Ordinal)))
        {
            info.ArgumentList.Add(argument);
        }
        info.ArgumentList.Add($"--urls=http://127.0.0.1:{port}");
        var process = new Process { StartInfo = info };
        var service = new ServiceProcess(process, new Uri($"http://127.0.0.1:{port}"));
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) service.output.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) service.output.Enqueue(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var client = new HttpClient { BaseAddress = service.Address, Timeout = TimeSpan.FromSeconds(2) };
        await Eventually.Until(async () =>
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{assembly} exited with {process.ExitCode}:\n{service.Output}");
            }
            try
            {
                using var response = await client.GetAsync("/health/ready");
                return response.IsSuccessStatusCode;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                return false;
            }
        }, readyWithin, $"{assembly} is ready");
        return service;
    }

    /// <summary>SIGKILL: no graceful stop, as a crash would leave it.</summary>
    public async Task Kill()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        await Kill();
        process.Dispose();
    }
}

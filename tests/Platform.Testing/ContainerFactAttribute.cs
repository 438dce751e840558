using Xunit;

namespace Platform.Testing;

/// <summary>
/// A test that needs a server container of its own (it stops and starts it). Where the servers are
/// the host's own, it is skipped, saying why: it must never stop a server others are using.
/// </summary>
public sealed class ContainerFactAttribute : FactAttribute
{
    public ContainerFactAttribute()
    {
        if (TestServers.Source is ServerSource.Running)
        {
            Skip = "needs a Docker engine: it stops a server container of its own, and the servers here are the host's";
        }
    }
}

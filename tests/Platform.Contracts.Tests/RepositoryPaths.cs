namespace Platform.Contracts.Tests;

internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string SchemasDirectory { get; } = Path.Combine(Root, "contracts", "schemas");

    /// <summary>The integration guide, whose examples and AsyncAPI document are generated from the contracts.</summary>
    public static string IntegratingDirectory { get; } = Path.Combine(Root, "docs", "integrating");

    // Tests run from bin/<configuration>/<framework>; the schemas live in the source tree.
    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (Directory.Exists(Path.Combine(directory.FullName, "contracts", "Platform.Contracts")))
            {
                return directory.FullName;
            }
        }
        throw new DirectoryNotFoundException($"No contracts/Platform.Contracts above {AppContext.BaseDirectory}.");
    }
}

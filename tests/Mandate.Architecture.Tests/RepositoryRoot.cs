namespace Mandate.Architecture.Tests;

/// <summary>The checkout the tests run from: the nearest folder above the test binaries that holds <c>Mandate.slnx</c>.</summary>
public static class RepositoryRoot
{
    /// <summary>Full path of the repository root.</summary>
    public static string FullPath { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Mandate.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no Mandate.slnx above {AppContext.BaseDirectory}; architecture tests read the sources and must run from a checkout");
    }
}

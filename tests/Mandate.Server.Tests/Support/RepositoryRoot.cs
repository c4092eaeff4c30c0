namespace Mandate.Server.Tests.Support;

/// <summary>The checkout the tests run from: the nearest folder above the test binaries that holds <c>Mandate.slnx</c>.</summary>
public static class RepositoryRoot
{
    /// <summary>The checkout's root folder.</summary>
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Mandate.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("the tests run from a checkout: no Mandate.slnx above " + AppContext.BaseDirectory);
    }
}

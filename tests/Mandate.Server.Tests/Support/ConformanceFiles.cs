namespace Mandate.Server.Tests.Support;

/// <summary>Finds the shared conformance data: <c>MANDATE_CONFORMANCE_DIR</c> (test.sh sets it), else <c>shared/conformance</c> above the test binaries, else <c>/work/shared/conformance</c>.</summary>
public static class ConformanceFiles
{
    /// <summary>The conformance root directory.</summary>
    public static string Root { get; } = Locate();

    /// <summary>A path below the conformance root.</summary>
    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string Locate()
    {
        if (Environment.GetEnvironmentVariable("MANDATE_CONFORMANCE_DIR") is { Length: > 0 } fromEnv && Directory.Exists(fromEnv))
        {
            return fromEnv;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "conformance");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        return "/work/shared/conformance";
    }
}

using System.Formats.Tar;
using System.IO.Compression;

namespace Mandate.Cedar.Tests.Support;

/// <summary>
/// Finds the shared conformance data (never copied into the repo) and unpacks its archives
/// once per machine into a temp folder, atomically, so parallel test runs do not race.
/// </summary>
public static class ConformanceData
{
    private static readonly object Gate = new();

    /// <summary>The <c>shared/conformance</c> folder.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The Cedar integration-test folder (hand-written tests and sample data).</summary>
    public static string CedarDir => Path.Combine(Root, "cedar");

    /// <summary>
    /// Unpacks <c>cedar/corpus-tests.tar.gz</c> and returns the folder that holds
    /// <c>corpus-tests/</c>, so a test's relative file names resolve against it.
    /// </summary>
    public static string CorpusRoot() => Unpack(Path.Combine(CedarDir, "corpus-tests.tar.gz"), "cedar-corpus");

    /// <summary>Unpacks the per-policy validation results (cedar-go) and returns their folder.</summary>
    public static string ValidationRoot() =>
        Unpack(Path.Combine(Root, "cedar-validation", "corpus-tests-validation.tar.gz"), "cedar-validation");

    /// <summary>Unpacks the corpus schemas in Cedar's JSON schema format and returns their folder.</summary>
    public static string JsonSchemaRoot() =>
        Unpack(Path.Combine(Root, "cedar-validation", "corpus-tests-json-schemas.tar.gz"), "cedar-json-schemas");

    private static string Unpack(string archive, string name)
    {
        var stamp = new FileInfo(archive);
        var target = Path.Combine(Path.GetTempPath(), "mandate-conformance", $"{name}-{stamp.Length}");
        lock (Gate)
        {
            if (Directory.Exists(target)) return target;
            var staging = target + ".tmp-" + Environment.ProcessId + "-" + Guid.NewGuid().ToString("N");
            Directory.CreateDirectory(staging);
            using (var file = File.OpenRead(archive))
            using (var gzip = new GZipStream(file, CompressionMode.Decompress))
            {
                TarFile.ExtractToDirectory(gzip, staging, overwriteFiles: true);
            }
            // The archives carry macOS resource forks ("._name"); they are not data.
            foreach (var fork in Directory.EnumerateFiles(staging, "._*", SearchOption.AllDirectories))
            {
                File.Delete(fork);
            }
            try
            {
                Directory.Move(staging, target);
            }
            catch (IOException) when (Directory.Exists(target))
            {
                Directory.Delete(staging, recursive: true); // another process won the race
            }
            return target;
        }
    }

    private static string FindRoot()
    {
        var fromEnv = Environment.GetEnvironmentVariable("MANDATE_CONFORMANCE_DIR");
        if (!string.IsNullOrEmpty(fromEnv) && Directory.Exists(fromEnv)) return fromEnv;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "conformance");
            if (Directory.Exists(candidate)) return candidate;
        }
        const string fallback = "/work/shared/conformance";
        if (Directory.Exists(fallback)) return fallback;
        throw new DirectoryNotFoundException(
            "conformance data not found: set MANDATE_CONFORMANCE_DIR to the shared/conformance folder");
    }
}

namespace Mandate.Fuzz.Tests;

/// <summary>The stored fuzz inputs of the checkout: <c>fuzz/corpus/&lt;target&gt;</c> and <c>fuzz/crashes/&lt;target&gt;</c>.</summary>
public static class FuzzInputs
{
    /// <summary>The repository's <c>fuzz</c> folder (found above the test binaries).</summary>
    public static string Folder { get; } = Find();

    /// <summary>The files of <c>fuzz/&lt;kind&gt;/&lt;target&gt;</c>, in name order; none when the folder does not exist.</summary>
    public static IReadOnlyList<string> Files(string kind, string target)
    {
        var folder = Path.Combine(Folder, kind, target);
        return Directory.Exists(folder) ? [.. Directory.EnumerateFiles(folder).Order(StringComparer.Ordinal)] : [];
    }

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "fuzz", "corpus");
            if (File.Exists(Path.Combine(dir.FullName, "Mandate.slnx")) && Directory.Exists(candidate))
            {
                return Path.Combine(dir.FullName, "fuzz");
            }
        }

        throw new InvalidOperationException($"no fuzz/corpus above {AppContext.BaseDirectory}; the replay tests run from a checkout");
    }
}

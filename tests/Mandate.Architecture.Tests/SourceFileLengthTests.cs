namespace Mandate.Architecture.Tests;

/// <summary>
/// No source file in <c>src/</c> (every project, not only Cedar: this project is simply where the architecture
/// tests live) is longer than <see cref="MaxLines"/> lines: a longer file holds more than one concern and is split
/// by concern (partial classes per concern are fine).
/// </summary>
public sealed class SourceFileLengthTests
{
    private const int MaxLines = 400;

    // Paths relative to the repository root. Keep this list short; every entry says why it is here.
    private static readonly string[] Exempt =
    [
        // The Cedar grammar in one recursive-descent parser: its productions call each other throughout, and
        // splitting them by line count would scatter one grammar over files.
        "src/Mandate.Cedar/Syntax/PolicyTextParser.cs",
    ];

    [Fact]
    public void SourceFiles_LineCount_AtMostMaxUnlessExempt()
    {
        var tooLong = SourceFiles()
            .Where(f => !Exempt.Contains(f.Path, StringComparer.Ordinal) && f.Lines > MaxLines)
            .Select(f => $"{f.Path}: {f.Lines} lines")
            .ToList();

        Assert.True(tooLong.Count == 0, $"source files over {MaxLines} lines; split them by concern:\n" + string.Join("\n", tooLong));
    }

    [Fact]
    public void Exemptions_EachStillNeeded()
    {
        // An exemption outlives its reason silently unless something notices: a split file must leave the list.
        var lines = SourceFiles().ToDictionary(f => f.Path, f => f.Lines, StringComparer.Ordinal);
        var stale = Exempt
            .Where(path => !lines.TryGetValue(path, out var n) || n <= MaxLines)
            .Select(path => lines.TryGetValue(path, out var n) ? $"{path}: {n} lines, no longer over {MaxLines}" : $"{path}: no such file")
            .ToList();

        Assert.True(stale.Count == 0, "exemptions to remove from SourceFileLengthTests.Exempt:\n" + string.Join("\n", stale));
    }

    private static IEnumerable<(string Path, int Lines)> SourceFiles()
    {
        var root = RepositoryRoot.FullPath;
        foreach (var file in Directory.EnumerateFiles(Path.Combine(root, "src"), "*.cs", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(root, file).Replace('\\', '/');
            if (relative.Contains("/bin/", StringComparison.Ordinal) || relative.Contains("/obj/", StringComparison.Ordinal))
            {
                continue;
            }

            yield return (relative, File.ReadAllLines(file).Length);
        }
    }
}

using System.Text.RegularExpressions;

namespace Mandate.Cedar.Tests.Architecture;

/// <summary>
/// The folders of <c>src/Mandate.Cedar</c> are layers: dependencies between them point one way, so each can be
/// read (and changed) knowing only the folders beneath it.
/// </summary>
public sealed class FolderDependencyTests
{
    private const string Prefix = "Mandate.Cedar";

    private static readonly string SourceRoot = Path.Combine(RepositoryRoot.FullPath, "src", "Mandate.Cedar");

    private static readonly FolderDependencyGraph Graph = FolderDependencyGraph.Load(SourceRoot, Prefix);

    [Fact]
    public void CedarFolders_DependencyGraph_HasNoCycle()
    {
        var cycles = Graph.Cycles();

        Assert.True(
            cycles.Count == 0,
            "folders of src/Mandate.Cedar that depend on each other; move the types so that dependencies point one way:\n"
            + string.Join("\n", cycles.Select(Graph.Describe)));
    }

    [Fact]
    public void CedarFolders_DependencyGraph_SeesTheLayersItChecks()
    {
        // A graph that read nothing would have no cycle either; these edges are the layering the test protects.
        Assert.Contains("Ast", Graph.DependenciesOf("Syntax"));
        Assert.Contains("Diagnostics", Graph.DependenciesOf("Ast"));
        Assert.Contains("Requests", Graph.DependenciesOf("Evaluation"));
        Assert.Contains("Evaluation", Graph.DependenciesOf("Authorization"));
        Assert.Empty(Graph.DependenciesOf("Diagnostics"));
    }

    [Fact]
    public void CedarFiles_Namespace_IsTheirFolder()
    {
        // The graph maps namespaces to folders; a file whose namespace is another folder's would hide an edge.
        var wrong = new List<string>();
        foreach (var file in Directory.EnumerateFiles(SourceRoot, "*.cs", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(SourceRoot, file).Replace('\\', '/');
            if (relative.StartsWith("bin/", StringComparison.Ordinal) || relative.StartsWith("obj/", StringComparison.Ordinal))
            {
                continue;
            }

            var folder = Path.GetDirectoryName(relative)!.Replace('\\', '/');
            var expected = folder.Length == 0 ? Prefix : $"{Prefix}.{folder.Replace('/', '.')}";
            foreach (Match m in Regex.Matches(CSharpCodeText.Of(File.ReadAllText(file)), @"\bnamespace\s+([\w.]+)"))
            {
                if (m.Groups[1].Value != expected)
                {
                    wrong.Add($"{relative}: namespace {m.Groups[1].Value}, expected {expected}");
                }
            }
        }

        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }
}

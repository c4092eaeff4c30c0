using System.Text.RegularExpressions;

namespace Mandate.Architecture.Tests;

/// <summary>
/// The folders of every project are layers: dependencies between them point one way, so each can be read (and
/// changed) knowing only the folders beneath it. In <c>Mandate.Server</c> the flow's steps (<c>Flow/*</c>) and the
/// fronts (<c>Fronts/*</c>) are folders of their own: a front may use the flow and the HTTP front, never the reverse.
/// </summary>
public sealed class FolderDependencyTests
{
    /// <summary>Each project under src/, with the folders whose subfolders are layers of their own.</summary>
    public static TheoryData<string, string[]> Projects => new()
    {
        { "Mandate.Cedar", [] },
        { "Mandate.Core", [] },
        { "Mandate.Storage.Sqlite", [] },
        { "Mandate.Server", ["Flow", "Fronts"] },
        { "Mandate.Cli", [] },
    };

    private static FolderDependencyGraph Graph(string project, string[] groups) =>
        FolderDependencyGraph.Load(Path.Combine(RepositoryRoot.FullPath, "src", project), project, groups);

    [Theory]
    [MemberData(nameof(Projects))]
    public void Folders_DependencyGraph_HasNoCycle(string project, string[] groups)
    {
        var graph = Graph(project, groups);
        var cycles = graph.Cycles();

        Assert.True(
            cycles.Count == 0,
            $"folders of src/{project} that depend on each other; move the types so that dependencies point one way:\n"
            + string.Join("\n", cycles.Select(graph.Describe)));
    }

    [Fact]
    public void CedarFolders_DependencyGraph_SeesTheLayersItChecks()
    {
        // A graph that read nothing would have no cycle either; these edges are the layering the test protects.
        var graph = Graph("Mandate.Cedar", []);
        Assert.Contains("Ast", graph.DependenciesOf("Syntax"));
        Assert.Contains("Diagnostics", graph.DependenciesOf("Ast"));
        Assert.Contains("Requests", graph.DependenciesOf("Evaluation"));
        Assert.Contains("Evaluation", graph.DependenciesOf("Authorization"));
        Assert.Empty(graph.DependenciesOf("Diagnostics"));
    }

    [Fact]
    public void ServerFolders_DependencyGraph_SeesTheFlowAndItsFronts()
    {
        var graph = Graph("Mandate.Server", ["Flow", "Fronts"]);

        // Every front goes through the flow; the flow knows no front.
        foreach (var front in (string[])["Fronts/Http", "Fronts/Mcp", "Fronts/OAuth"])
        {
            Assert.Contains("Flow", graph.DependenciesOf(front));
            Assert.DoesNotContain(front, graph.DependenciesOf("Flow"));
        }

        Assert.Contains("Flow/Identify", graph.DependenciesOf("Flow"));
        Assert.Contains("Fronts/Http", graph.DependenciesOf("Fronts/Mcp"));
        Assert.Contains("Routing", graph.DependenciesOf("Snapshots"));
        Assert.All(graph.Folders.Where(f => f.StartsWith("Flow", StringComparison.Ordinal)), flow =>
            Assert.DoesNotContain(graph.DependenciesOf(flow), d => d.StartsWith("Fronts", StringComparison.Ordinal)));
    }

    [Theory]
    [MemberData(nameof(Projects))]
    public void Files_Namespace_IsTheirFolder(string project, string[] groups)
    {
        _ = groups;

        // The graph maps namespaces to folders; a file whose namespace is another folder's would hide an edge.
        var root = Path.Combine(RepositoryRoot.FullPath, "src", project);
        var wrong = new List<string>();
        foreach (var file in Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(root, file).Replace('\\', '/');
            if (relative.StartsWith("bin/", StringComparison.Ordinal) || relative.StartsWith("obj/", StringComparison.Ordinal))
            {
                continue;
            }

            var folder = Path.GetDirectoryName(relative)!.Replace('\\', '/');
            var expected = folder.Length == 0 ? project : $"{project}.{folder.Replace('/', '.')}";
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
